import { EventCodes } from '../../events/codes.js';
import { customizerFor } from '../guest/guest-customizer.js';
import { STEP, type SetupRun } from '../setup-run-context.js';
import type { SetupStep } from '../step-runner.js';

export function guestUserStep(run: SetupRun, user: { name: string; addToAdmins: boolean }): SetupStep {
  return {
    id: STEP.user,
    title: user.addToAdmins ? `Create user ${user.name} (administrator)` : `Create user ${user.name}`,
    weight: 3,
    failureCode: EventCodes.setupUserFailed,
    async run(context) {
      await run.withAgent(context, async (session) =>
        (await customizerFor(session, context.remainingMs())).ensureUser(session, user, context.remainingMs()),
      );
      context.log('info', `user ${user.name} exists in the guest${user.addToAdmins ? ' and is an administrator' : ''}`);
      return { user: user.name };
    },
  };
}
