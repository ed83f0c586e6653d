import type { GuestAgentSession, StopResult } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { connectGuest } from '../apps/guest-session.js';
import { reasonOf } from '../error-reason.js';
import { attachedVm, vmMissing, type AttachedVm } from './attached-vm.js';
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
/** How long a guest agent has to answer before its shutdown is not tried. */
const AGENT_ANSWER_MS = 2_000;
/** The most of the graceful time given to the agent's shutdown before the hypervisor's turn. */
const AGENT_SHUTDOWN_MAX_MS = 30_000;
const STATE_POLL_MS = 250;

/**
 * Which way the VM stopped: the guest agent's shutdown (the guest's own `shutdown`), the
 * hypervisor's graceful stop (the ACPI power button, or Hyper-V's shutdown service), or power-off.
 */
export type StopVia = 'guest-agent' | 'hypervisor' | 'power-off';

export interface ShutDownResult {
  how: StopResult['how'];
  via?: StopVia;
}

/**
 * Asks the guest agent to shut the guest down, as `virsh shutdown --mode agent` does, and waits
 * up to `budgetMs` for the VM to stop: true when it did. A guest that ignores the power button
 * (no acpid, or one that failed) but whose agent answers stops this way in seconds instead of
 * sitting out the graceful time and being forced off. False at once when the agent does not
 * answer within AGENT_ANSWER_MS.
 */
async function shutDownThroughAgent(ws: Workspace, target: AttachedVm, budgetMs: number): Promise<boolean> {
  const deadline = ws.clock.now() + budgetMs;
  let session: GuestAgentSession | undefined;
  try {
    ({ session } = await connectGuest(ws, Math.min(AGENT_ANSWER_MS, budgetMs)));
    await session.shutdown('powerdown');
  } catch (error) {
    ws.events.event('debug', EventCodes.vmStopping, `the guest agent did not take the shutdown: ${reasonOf(error)}`);
    return false;
  } finally {
    await session?.close().catch(() => undefined);
  }
  while (ws.clock.now() < deadline) {
    const state = await target.hypervisor.state(target.vm).catch(() => undefined);
    if (state?.state === 'stopped') return true;
    await ws.clock.sleep(Math.min(STATE_POLL_MS, Math.max(1, deadline - ws.clock.now())));
  }
  return false;
}

/**
 * Graceful first, each way bounded: the guest agent's shutdown when the agent answers, then the
 * hypervisor's graceful stop, then power-off when the time limit has passed.
 */
export async function shutDown(ws: Workspace, options: StopOptions): Promise<ShutDownResult> {
  const target = await attachedVm(ws);
  const before = await target.hypervisor.state(target.vm);
  if (before.state === 'not-created') throw vmMissing(ws, before.reason);
  if (before.state === 'stopped') return { how: 'already-stopped' };
  const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const started = ws.clock.now();
  ws.events.event('info', EventCodes.vmStopping, options.force ? 'powering the VM off' : 'shutting the VM down');
  if (!options.force && before.state === 'running') {
    options.onProgress?.('asking the guest to shut down');
    if (await shutDownThroughAgent(ws, target, Math.min(AGENT_SHUTDOWN_MAX_MS, timeoutMs / 2))) {
      // The plugin records the stop (its pid files, its own state) as it does for any VM that stopped.
      await target.hypervisor.stop(target.vm, { timeoutMs: Math.max(1, timeoutMs - (ws.clock.now() - started)) });
      ws.events.event('info', EventCodes.vmStopped, 'the VM stopped (graceful, shut down through the guest agent)');
      return { how: 'graceful', via: 'guest-agent' };
    }
  } else {
    options.onProgress?.(options.force ? 'powering off' : 'asking the guest to shut down');
  }
  const result = await target.hypervisor.stop(target.vm, { force: options.force, timeoutMs: Math.max(1, timeoutMs - (ws.clock.now() - started)) });
  const via: StopVia | undefined = result.how === 'graceful' ? 'hypervisor' : result.how === 'forced' ? 'power-off' : undefined;
  // A suspended VM is already off (its memory stays saved): nothing stopped, so nothing to log as a stop.
  if (result.how !== 'already-stopped') ws.events.event('info', EventCodes.vmStopped, `the VM stopped (${result.how}${via === 'hypervisor' ? ', through the hypervisor' : ''})`);
  return via ? { how: result.how, via } : { how: result.how };
}

export async function stopWorkspace(core: Core, name: string, options: StopOptions = {}): Promise<{ workspace: string } & ShutDownResult> {
  const ws = openWorkspace(core, name);
  return withLock(ws.layout.lockFile, name, 'stop', async () => ({ workspace: name, ...(await shutDown(ws, options)) }));
}
