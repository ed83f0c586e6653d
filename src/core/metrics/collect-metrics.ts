import { VM_STATES } from '../../plugin-api/index.js';
import { launchCounts, readSessions } from '../apps/app-sessions.js';
import { readHealthRecord } from '../agent/health-record.js';
import { MAINTENANCE_RESULTS, readMaintenanceRecord } from '../maintenance/maintenance-record.js';
import type { Core } from '../open-core.js';
import { openRegistry, openWorkspace } from '../workspace/open-workspace.js';
import { statusOf } from '../workspace/workspace-status.js';
import { readVmMetrics } from '../workspace/vm-metrics.js';
import type { MetricFamily, Sample } from './exposition.js';

const WORKSPACE_STATES = [...VM_STATES, 'unavailable'] as const;
const SETUP_STATES = ['pending', 'running', 'ready', 'failed'] as const;

function family(name: string, type: MetricFamily['type'], help: string): MetricFamily {
  return { name, type, help, samples: [] };
}

function seconds(iso: string | undefined): number | undefined {
  const ms = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/**
 * Every workspace's metrics for fleet monitoring: its state (one-hot, so a missing series
 * never reads as a state), setup state and status code, last setup time, the host agent's last
 * guest-agent health check and app launches. A read: takes no lock.
 */
export async function collectMetrics(core: Core): Promise<MetricFamily[]> {
  const info = family('twinbox_workspace_info', 'gauge', 'An installed workspace: its package version and hypervisor (always 1).');
  const state = family('twinbox_workspace_state', 'gauge', "The workspace VM's state: 1 for the current state label, 0 for the others.");
  const setupState = family('twinbox_workspace_setup_state', 'gauge', "The workspace's first-time setup state: 1 for the current state label, 0 for the others.");
  const setupCode = family('twinbox_workspace_setup_status_code', 'gauge', "The last setup's status code: 0 ready, else the failing step's event code.");
  const setupTime = family('twinbox_workspace_last_setup_timestamp_seconds', 'gauge', 'When the last setup ended, in unix seconds.');
  const apps = family('twinbox_workspace_published_apps', 'gauge', 'Apps the workspace publishes.');
  const sessions = family('twinbox_workspace_app_sessions', 'gauge', 'Apps of the workspace running now through twinbox run.');
  const agentUp = family('twinbox_guest_agent_up', 'gauge', "Whether the guest agent answered the host agent's last health check (1) or not (0).");
  const roundTrip = family('twinbox_guest_agent_round_trip_seconds', 'gauge', "Round-trip time of the guest-agent ping in the host agent's last health check.");
  const checkedAt = family('twinbox_guest_agent_last_check_timestamp_seconds', 'gauge', "When the host agent last checked the guest agent, in unix seconds.");
  const launches = family('twinbox_app_launches_total', 'counter', 'Apps launched in the workspace with twinbox run.');
  const maintenanceSuccess = family('twinbox_maintenance_last_success_timestamp_seconds', 'gauge', 'When the last maintenance window that succeeded ended, in unix seconds.');
  const maintenanceResult = family('twinbox_maintenance_last_result', 'gauge', "The last maintenance window's result: 1 for its result label, 0 for the others.");
  const maintenanceDuration = family('twinbox_maintenance_last_duration_seconds', 'gauge', 'How long the last maintenance window took.');
  const vmCpu = family('twinbox_vm_cpu_seconds_total', 'counter', "CPU time the running VM's host process used since it started (QEMU, the fake): rate() gives its use.");
  const vmCpuRatio = family('twinbox_vm_cpu_usage_ratio', 'gauge', "CPU use of the running VM as its hypervisor measures it (VirtualBox, Hyper-V), as a share of the host's whole CPU (1 = every core).");
  const vmMemory = family('twinbox_vm_memory_bytes', 'gauge', 'Host memory the running VM holds (its process\'s resident set, or what the hypervisor assigned).');

  const registry = openRegistry(core);
  for (const entry of registry.list()) {
    const ws = openWorkspace(core, entry.name, registry);
    const workspace = { workspace: entry.name };
    const status = await statusOf(ws);
    info.samples.push({ labels: { ...workspace, version: entry.version, hypervisor: entry.hypervisor ?? '' }, value: 1 });
    state.samples.push(...WORKSPACE_STATES.map((name): Sample => ({ labels: { ...workspace, state: name }, value: status.state === name ? 1 : 0 })));
    setupState.samples.push(...SETUP_STATES.map((name): Sample => ({ labels: { ...workspace, state: name }, value: status.setup.state === name ? 1 : 0 })));
    const code = status.setup.record?.status ?? status.setup.code;
    if (code !== undefined) setupCode.samples.push({ labels: workspace, value: code });
    const setupAt = seconds(status.setup.record?.time);
    if (setupAt !== undefined) setupTime.samples.push({ labels: workspace, value: setupAt });
    apps.samples.push({ labels: workspace, value: status.apps });
    sessions.samples.push({ labels: workspace, value: readSessions(ws.layout).live.length });
    const health = await readHealthRecord(ws.layout);
    if (health) {
      agentUp.samples.push({ labels: workspace, value: health.reachable ? 1 : 0 });
      if (health.reachable && health.roundTripMs !== undefined) roundTrip.samples.push({ labels: workspace, value: health.roundTripMs / 1000 });
      const at = seconds(health.checkedAt);
      if (at !== undefined) checkedAt.samples.push({ labels: workspace, value: at });
    }
    const maintenance = await readMaintenanceRecord(ws.layout);
    const succeededAt = seconds(maintenance.lastSuccessAt);
    if (succeededAt !== undefined) maintenanceSuccess.samples.push({ labels: workspace, value: succeededAt });
    if (maintenance.last) {
      const last = maintenance.last.result;
      maintenanceResult.samples.push(...MAINTENANCE_RESULTS.map((result): Sample => ({ labels: { ...workspace, result }, value: last === result ? 1 : 0 })));
      maintenanceDuration.samples.push({ labels: workspace, value: maintenance.last.durationMs / 1000 });
    }
    if (status.state === 'running' || status.state === 'paused') {
      const figures = await readVmMetrics(ws);
      if (figures?.cpuSeconds !== undefined) vmCpu.samples.push({ labels: workspace, value: figures.cpuSeconds });
      if (figures?.cpuPercent !== undefined) vmCpuRatio.samples.push({ labels: workspace, value: figures.cpuPercent / 100 });
      if (figures?.memoryBytes !== undefined) vmMemory.samples.push({ labels: workspace, value: figures.memoryBytes });
    }
    for (const [app, count] of [...launchCounts(ws.layout)].sort(([a], [b]) => a.localeCompare(b))) launches.samples.push({ labels: { ...workspace, app }, value: count });
  }
  return [info, state, setupState, setupCode, setupTime, apps, sessions, agentUp, roundTrip, checkedAt, launches, maintenanceSuccess, maintenanceResult, maintenanceDuration, vmCpu, vmCpuRatio, vmMemory];
}
