import type { StopResult } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { attachedVm, vmMissing } from './attached-vm.js';
import { withLock } from './lock.js';
import { openWorkspace, type Workspace } from './open-workspace.js';
import type { LifecycleOptions } from './start-workspace.js';

export interface StopOptions extends LifecycleOptions {
  /** Power off at once instead of asking the guest to shut down. */
  force?: boolean;
  /** How long a graceful shutdown may take before the VM is powered off. */
  timeoutMs?: number;
}

export const DEFAULT_STOP_TIMEOUT_MS = 60_000;

/** Graceful first (the guest shuts down), forced when it has not within the time limit. */
export async function shutDown(ws: Workspace, options: StopOptions): Promise<StopResult['how']> {
  const target = await attachedVm(ws);
  const before = await target.hypervisor.state(target.vm);
  if (before.state === 'not-created') throw vmMissing(ws, before.reason);
  if (before.state === 'stopped') return 'already-stopped';
  options.onProgress?.(options.force ? 'powering off' : 'asking the guest to shut down');
  ws.events.event('info', EventCodes.vmStopping, options.force ? 'powering the VM off' : 'shutting the VM down');
  const result = await target.hypervisor.stop(target.vm, { force: options.force, timeoutMs: options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS });
  ws.events.event('info', EventCodes.vmStopped, `the VM stopped (${result.how})`);
  return result.how;
}

export async function stopWorkspace(core: Core, name: string, options: StopOptions = {}): Promise<{ workspace: string; how: StopResult['how'] }> {
  const ws = openWorkspace(core, name);
  return withLock(ws.layout.lockFile, name, 'stop', async () => ({ workspace: name, how: await shutDown(ws, options) }));
}
