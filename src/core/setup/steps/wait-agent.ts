import { EventCodes } from '../../events/codes.js';
import { logConsoleTail } from '../../workspace/console-tail.js';
import { STEP, type SetupRun } from '../setup-run-context.js';
import type { SetupStep } from '../step-runner.js';
import { recordGuestOs } from '../../workspace/guest-os.js';

/** Power-cycling a guest must not eat the next attempt's whole time limit. */
const RESTART_TIMEOUT_MS = 120_000;

/**
 * Waits until the guest agent answers. A guest whose agent stayed silent for a whole attempt
 * is power-cycled before the next one, as a person would do with a hung machine.
 */
export function waitAgentStep(run: SetupRun): SetupStep {
  return {
    id: STEP.agent,
    title: 'Wait for the guest agent',
    weight: 15,
    failureCode: EventCodes.setupAgentTimeout,
    async run(context) {
      const started = run.ws.clock.now();
      let session;
      try {
        session = await run.agent(context);
      } catch (error) {
        await logConsoleTail(run.ws, { hypervisor: await run.hypervisor(), vm: run.vm() });
        throw error;
      }
      const info = await session.osInfo({ timeoutMs: context.remainingMs() }).catch(() => undefined);
      if (info) {
        context.log('info', `guest: ${info.prettyName ?? info.name}`);
        await recordGuestOs(run.ws.layout, session, new Date(run.ws.clock.now()), info);
      }
      return { answeredAfterMs: run.ws.clock.now() - started };
    },
    async beforeRetry() {
      await run.dropAgent();
      const hypervisor = await run.hypervisor();
      const vm = run.vm();
      await hypervisor.stop(vm, { force: true });
      await hypervisor.start(vm, { timeoutMs: RESTART_TIMEOUT_MS });
    },
  };
}
