import type { VmState, VmStatus } from 'twinbox/plugin-api';

interface Mapping {
  state: VmState;
  reason: string;
}

/** Hyper-V's VMState names (`$vm.State.ToString()`) onto the shared vocabulary. */
export const HYPERV_STATES: Readonly<Record<string, Mapping>> = {
  Running: { state: 'running', reason: 'running' },
  Off: { state: 'stopped', reason: 'turned off' },
  Saved: { state: 'suspended', reason: 'suspended: its memory is saved to disk' },
  FastSaved: { state: 'suspended', reason: 'suspended: its memory is saved (fast save)' },
  Hibernated: { state: 'suspended', reason: 'hibernated by the guest' },
  Paused: { state: 'paused', reason: 'paused' },
  Pausing: { state: 'paused', reason: 'pausing' },
  Resuming: { state: 'running', reason: 'resuming' },
  Starting: { state: 'starting', reason: 'starting' },
  Reset: { state: 'starting', reason: 'restarting (reset)' },
  ForceReboot: { state: 'starting', reason: 'restarting (forced reboot)' },
  Stopping: { state: 'stopping', reason: 'stopping' },
  ForceShutdown: { state: 'stopping', reason: 'stopping (forced shutdown)' },
  Saving: { state: 'suspending', reason: 'suspending: saving its memory to disk' },
  FastSaving: { state: 'suspending', reason: 'suspending: saving its memory (fast save)' },
};

/**
 * "Critical" states (`OffCritical`, `RunningCritical`…; written with a dash in some tools)
 * mean Hyper-V lost access to the VM's storage: the VM cannot run normally.
 */
const CRITICAL = /^([A-Za-z]+?)-?Critical$/;

export interface HyperVVmInfo {
  State?: unknown;
  Status?: unknown;
  Uptime?: unknown;
  CPUUsage?: unknown;
  MemoryAssigned?: unknown;
}

function uptime(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

export function statusFromInfo(info: HyperVVmInfo): VmStatus {
  const raw = typeof info.State === 'string' ? info.State : JSON.stringify(info.State ?? null);
  const status = typeof info.Status === 'string' && info.Status !== '' ? info.Status : undefined;
  const cpuPercent = typeof info.CPUUsage === 'number' ? info.CPUUsage : undefined;
  const memoryBytes = typeof info.MemoryAssigned === 'number' && info.MemoryAssigned > 0 ? info.MemoryAssigned : undefined;
  const figures = { cpuPercent, memoryBytes };
  const critical = CRITICAL.exec(raw);
  if (critical) {
    return {
      state: 'crashed',
      reason: `Hyper-V reports ${raw}: the VM lost access to its storage${status ? ` (${status})` : ''}; check that its disk is reachable`,
      ...figures,
    };
  }
  const mapping = HYPERV_STATES[raw];
  if (!mapping) return { state: 'unknown', reason: `Hyper-V answered state ${raw}, which twinbox does not know${status ? ` (${status})` : ''}`, ...figures };
  let reason = mapping.reason;
  if (mapping.state === 'running' && typeof info.Uptime === 'number' && info.Uptime > 0) reason += ` for ${uptime(info.Uptime)}`;
  return { state: mapping.state, reason, ...figures };
}

export const NOT_CREATED: VmStatus = { state: 'not-created', reason: 'Hyper-V has no VM with this id' };
