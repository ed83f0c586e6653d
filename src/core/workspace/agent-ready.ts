import { isTwinboxError, TwinboxError } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import { recordGuestOs } from './guest-os.js';
import { waitForGuestAgent } from './guest-agent-connection.js';
import type { AttachedVm } from './attached-vm.js';
import { logConsoleTail } from './console-tail.js';
import type { Workspace } from './open-workspace.js';

/** How long start, resume and restart wait for the guest to come up by default (Multipass waits 300 s). */
export const DEFAULT_AGENT_TIMEOUT_MS = 300_000;
/**
 * How long the guest agent of a VM that was already running may take to answer: it is up, so
 * one that does not answer in this time has stopped answering (a hung or stopped guest), and
 * `run` and the menu give up with exit 5 instead of waiting the boot timeout.
 */
export const RUNNING_AGENT_TIMEOUT_MS = 20_000;

/**
 * The agent of a VM that runs did not answer in `limitMs`: a hung or stopped guest (exit 5),
 * said as such rather than as a boot that took too long. Other errors pass unchanged.
 */
export function notAnswering(ws: Workspace, limitMs: number, error: unknown): unknown {
  if (!isTwinboxError(error) || error.code !== 'guest-agent-timeout') return error;
  return new TwinboxError('guest-agent-not-answering', `the guest agent of "${ws.name}" stopped answering: no answer within ${Math.round(limitMs / 1000)} s although its VM is running`, {
    exit: 'timeout',
    hint: `the guest may be hung: \`twinbox restart ${ws.name}\` restarts it`,
    cause: error,
  });
}

/**
 * Returns when the guest agent answers, so that apps can be launched; fails with exit 5 when it
 * does not in time. The manifest validator is imported here rather than at start-up: a start
 * launches the VM first and loads it while the guest boots.
 */
export async function awaitGuestAgent(
  ws: Workspace,
  target: AttachedVm,
  timeoutMs: number,
  onProgress?: (message: string) => void,
  /** The VM was running before: the agent should answer at once. */
  wasRunning = false,
): Promise<number> {
  const { loadManifest } = await import('./load-manifest.js');
  const manifest = await loadManifest(ws.entry().storeDir, ws.name);
  const agent = await ws.core.plugins.guestAgent(manifest.guestAgent.plugin);
  const channel = manifest.guestAgent.channel;
  const started = ws.clock.now();
  // A running VM's agent answers at once: saying "waiting" there would only mislead.
  if (!wasRunning) onProgress?.('waiting for the guest agent');
  try {
    const limit = wasRunning ? Math.min(timeoutMs, RUNNING_AGENT_TIMEOUT_MS) : timeoutMs;
    let session;
    try {
      session = await waitForGuestAgent(target.hypervisor, agent, target.vm, channel, { timeoutMs: limit, clock: ws.clock });
    } catch (error) {
      if (!wasRunning) throw error;
      throw notAnswering(ws, limit, error);
    }
    await recordGuestOs(ws.layout, session, new Date(ws.clock.now()));
    await session.close();
  } catch (error) {
    ws.events.event('warn', EventCodes.agentUnreachable, `the guest agent did not answer: ${(error as Error).message}`);
    await logConsoleTail(ws, target);
    throw error;
  }
  const waited = ws.clock.now() - started;
  ws.events.event('info', EventCodes.agentConnected, `the guest agent answered after ${waited} ms`);
  return waited;
}
