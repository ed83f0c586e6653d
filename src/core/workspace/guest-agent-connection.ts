import {
  isTwinboxError,
  TwinboxError,
  type Clock,
  type GuestAgentPlugin,
  type GuestAgentSession,
  type HypervisorPlugin,
  type VmRef,
} from '../../plugin-api/index.js';
import { reasonOf } from '../error-reason.js';

export interface AgentWaitOptions {
  timeoutMs: number;
  clock: Clock;
  signal?: AbortSignal;
  /** Called after each failed try with why it failed. */
  onRetry?: (reason: string) => void;
}

/** One handshake try stays short, so that a guest that comes up late is noticed soon. */
const ATTEMPT_MS = 15_000;
const PAUSE_MS = 500;
/** States in which waiting longer cannot help. */
const DEAD_STATES = new Set(['stopped', 'crashed', 'not-created', 'suspended']);

/**
 * Opens the guest-agent channel and waits until the agent answers a ping, retrying while the
 * guest boots. Gives up at once when the VM is not running any more (waiting cannot help),
 * and with a timeout error (exit 5) when the time is up.
 */
export async function waitForGuestAgent(
  hypervisor: HypervisorPlugin,
  agent: GuestAgentPlugin,
  vm: VmRef,
  channel: string,
  options: AgentWaitOptions,
): Promise<GuestAgentSession> {
  const { clock, signal } = options;
  const deadline = clock.now() + options.timeoutMs;
  let lastReason = 'no answer yet';
  for (;;) {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new TwinboxError('cancelled', 'cancelled');
    const remaining = deadline - clock.now();
    if (remaining <= 0) break;
    let session: GuestAgentSession | undefined;
    try {
      const stream = await hypervisor.openChannel(vm, channel);
      session = await agent.connect(stream, { timeoutMs: Math.min(ATTEMPT_MS, remaining), signal });
      await session.ping({ timeoutMs: Math.max(1, Math.min(ATTEMPT_MS, deadline - clock.now())) });
      return session;
    } catch (error) {
      await session?.close().catch(() => undefined);
      lastReason = reasonOf(error);
      if (isTwinboxError(error) && error.code === 'cancelled') throw error;
      const state = await hypervisor.state(vm).catch(() => undefined);
      if (state && DEAD_STATES.has(state.state)) {
        throw new TwinboxError('vm-not-running', `the VM is ${state.state} (${state.reason}), so its guest agent cannot answer`, {
          details: { state: state.state },
        });
      }
      options.onRetry?.(lastReason);
    }
    try {
      await clock.sleep(Math.max(0, Math.min(PAUSE_MS, deadline - clock.now())), signal);
    } catch {
      // Aborted: the loop's first check reports it.
    }
  }
  throw new TwinboxError('guest-agent-timeout', `the guest agent did not answer within ${Math.round(options.timeoutMs / 1000)} s (${lastReason})`, {
    exit: 'timeout',
    hint: 'check that the guest agent is installed and starts at boot in the guest image',
  });
}
