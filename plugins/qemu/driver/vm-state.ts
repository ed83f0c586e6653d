import { readFile } from 'node:fs/promises';
import type { VmStatus } from 'twinbox/plugin-api';
import { withQmp } from '../qmp/qmp-connection.js';
import { mapRunState, statusOf } from '../qmp/run-state.js';
import { findVmProcess, type PidVerdict, type Probe } from './process.js';
import type { Lifecycle, QemuVmConfig } from './vm-config.js';

const QMP_STATE_TIMEOUT_MS = 3_000;

/**
 * The state of a VM whose QEMU is not running, from what twinbox last did to it and whether
 * QEMU left its pid file behind (it deletes it on a normal exit, never when killed).
 */
export function stateWithoutProcess(lifecycle: Lifecycle, verdict: Exclude<PidVerdict, { kind: 'ours' }>): VmStatus {
  switch (lifecycle) {
    case 'created':
      return { state: 'stopped', reason: 'created, not started yet' };
    case 'stopping':
    case 'stopped':
      return { state: 'stopped', reason: 'stopped by twinbox' };
    case 'suspended':
      return { state: 'suspended', reason: 'memory saved to disk; start resumes it' };
    case 'suspending':
      return { state: 'crashed', reason: 'qemu exited while saving the VM state' };
    case 'running':
      return verdict.kind === 'stale'
        ? { state: 'crashed', reason: `${verdict.reason} (not stopped by twinbox)` }
        : { state: 'stopped', reason: 'qemu exited: the guest shut down (or the host restarted)' };
  }
}

/** Combines what QEMU reports with what twinbox is doing to the VM right now. */
export function stateWithProcess(lifecycle: Lifecycle, pid: number, qmpStatus: string | undefined, qmpProblem?: string): VmStatus {
  if (lifecycle === 'suspending') return { state: 'suspending', reason: 'saving the VM state to disk', pid };
  if (lifecycle === 'suspended') return { state: 'suspending', reason: 'state saved; qemu is exiting', pid };
  if (qmpStatus === undefined) {
    if (lifecycle === 'stopping') return { state: 'stopping', reason: 'stopping (asked by twinbox)', pid };
    return { state: 'unknown', reason: `qemu (pid ${pid}) runs but its monitor did not answer: ${qmpProblem ?? 'no reply'}`, pid };
  }
  const mapped = mapRunState(qmpStatus);
  if (lifecycle === 'stopping' && (mapped.state === 'running' || mapped.state === 'paused')) {
    return { state: 'stopping', reason: 'shutting down (asked by twinbox)', pid };
  }
  return { ...mapped, pid };
}

async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function queryStatus(socket: string, timeoutMs = QMP_STATE_TIMEOUT_MS): Promise<string | undefined> {
  return withQmp(socket, async (qmp) => statusOf(await qmp.execute('query-status', undefined, timeoutMs)), timeoutMs);
}

export interface InspectedVm {
  status: VmStatus;
  verdict: PidVerdict;
}

export async function inspectVm(deps: { probe: Probe }, config: QemuVmConfig): Promise<InspectedVm> {
  const verdict = await findVmProcess(config.paths.pidFile, deps.probe);
  if (verdict.kind !== 'ours') return { status: stateWithoutProcess(config.lifecycle, verdict), verdict };
  // A monitor busy with a long savevm would only time out: the lifecycle says enough.
  if (config.lifecycle === 'suspending' || config.lifecycle === 'suspended') {
    return { status: stateWithProcess(config.lifecycle, verdict.pid, undefined), verdict };
  }
  let qmpStatus: string | undefined;
  let problem: string | undefined;
  try {
    qmpStatus = await queryStatus(config.paths.qmpSocket);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const status = stateWithProcess(config.lifecycle, verdict.pid, qmpStatus, problem);
  const memoryBytes = await residentBytes(verdict.pid);
  return { status: memoryBytes === undefined ? status : { ...status, memoryBytes }, verdict };
}
