import type { AgentHealth } from '../../core/workspace/agent-health.js';
import type { PluginReport } from '../../core/plugins/plugin-registry.js';
import type { WorkspaceStatus } from '../../core/workspace/workspace-status.js';

/** The changes the dashboard makes to a workspace (see workspace-actions.ts). */
export type WorkspaceActionId = 'start' | 'stop' | 'force-stop' | 'suspend-resume' | 'restart' | 'reset' | 'snapshot' | 'setup' | 'uninstall';

/** Suspend a running workspace, resume a suspended or paused one. */
export function suspendOrResume(state: WorkspaceStatus['state']): 'suspend' | 'resume' {
  return state === 'suspended' || state === 'paused' ? 'resume' : 'suspend';
}

/** A workspace as the list shows it: its status now, and its guest agent's answer to the last ping. */
export interface WorkspaceRow {
  status: WorkspaceStatus;
  /** Only running workspaces are pinged. */
  health?: AgentHealth;
  /** The fleet host (a name of the `hosts` setting) it is on; undefined: this machine. */
  host?: string;
}

/** What the dashboard's selection, actions and list know a row by: its name here, `host/name` on a fleet host. */
export function rowKey(row: WorkspaceRow): string {
  return row.host === undefined ? row.status.name : `${row.host}/${row.status.name}`;
}

/** The host column's cell: `local` for this machine. */
export function hostCell(row: WorkspaceRow): string {
  return row.host ?? 'local';
}

/** An action this dashboard runs on the workspace now, with its latest progress line. */
export interface LocalAction {
  verb: string;
  progress?: string;
}

/** "simulated" for the fake, "software emulation: slow" for QEMU without KVM (as `twinbox doctor` says). */
export function hypervisorNote(name: string | undefined, reports: readonly PluginReport[] | undefined, simulated?: boolean): string | undefined {
  if (!name) return undefined;
  const report = reports?.find((plugin) => plugin.name === name);
  if (simulated || report?.simulated) return 'simulated';
  if (report?.details?.accel?.includes('software emulation')) return 'software emulation: slow';
  return undefined;
}

export function hypervisorCell(status: WorkspaceStatus, reports: readonly PluginReport[] | undefined): string {
  if (!status.hypervisor) return '-';
  const note = hypervisorNote(status.hypervisor, reports, status.simulated);
  return note ? `${status.hypervisor} (${note})` : status.hypervisor;
}

/** Another process's change shows as busy; this dashboard's own as what it is doing. */
export function busyHolder(status: WorkspaceStatus): WorkspaceStatus['lockedBy'] {
  return status.lockedBy && status.lockedBy.pid !== process.pid ? status.lockedBy : undefined;
}

export function stateCell(status: WorkspaceStatus, local: LocalAction | undefined): string {
  if (local) return local.verb;
  const holder = busyHolder(status);
  if (holder) return `busy: ${holder.operation}`;
  return status.state;
}

export function agentCell(row: WorkspaceRow): string {
  // A fleet host's guest agents answer that host, not this one.
  if (row.status.state !== 'running' || row.host !== undefined) return '-';
  if (!row.health) return '...';
  if (!row.health.ok) return 'no answer';
  return row.health.rttMs < 1 ? 'ok <1 ms' : `ok ${Math.round(row.health.rttMs)} ms`;
}

export function setupCell(status: WorkspaceStatus): string {
  const { setup } = status;
  if (setup.state === 'failed') return `failed ${setup.code ?? ''}`.trim();
  if (setup.state === 'running') return setup.interrupted ? 'interrupted' : 'running';
  return setup.state;
}

export function cpuCell(status: WorkspaceStatus): string {
  return status.cpuPercent === undefined ? '-' : `${Math.round(status.cpuPercent)}%`;
}

export function memoryCell(status: WorkspaceStatus): string {
  if (status.memoryBytes === undefined) return '-';
  const mib = status.memoryBytes / 1024 / 1024;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)}G` : `${Math.round(mib)}M`;
}

/** Case-insensitive: the name or the description contains the filter. */
export function matchesFilter(status: WorkspaceStatus, filter: string): boolean {
  const wanted = filter.trim().toLowerCase();
  return wanted === '' || status.name.toLowerCase().includes(wanted) || status.description.toLowerCase().includes(wanted);
}

/** The selected workspace's one-line summary under the list: state, reason, busy holder, hypervisor note. */
export function summaryLine(row: WorkspaceRow, reports: readonly PluginReport[] | undefined, local: LocalAction | undefined): string {
  const { status } = row;
  const parts = [`${row.host !== undefined ? `${row.host}/` : ''}${status.name} ${status.version}: ${status.state}${status.reason ? ` (${status.reason})` : ''}`];
  if (local) parts.push(`${local.verb}${local.progress ? `: ${local.progress}` : ''}`);
  const holder = busyHolder(status);
  if (holder) parts.push(`busy: ${holder.operation} by process ${holder.pid} since ${holder.since}`);
  const note = hypervisorNote(status.hypervisor, reports, status.simulated);
  if (note) parts.push(`${status.hypervisor}: ${note}`);
  if (row.health && !row.health.ok) parts.push(`guest agent: ${row.health.reason}`);
  return parts.join(' · ');
}
