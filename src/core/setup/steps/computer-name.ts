import { TwinboxError } from '../../../plugin-api/index.js';
import { EventCodes } from '../../events/codes.js';
import { computerNameProblem, expandComputerNameMask } from '../computer-name.js';
import { customizerFor } from '../guest/guest-customizer.js';
import { STEP, type SetupRun } from '../setup-run-context.js';
import type { SetupStep, StepContext } from '../step-runner.js';

/** The name is decided once and journaled before it is written: a resumed run must not roll new random characters. */
async function decideName(run: SetupRun, context: StepContext): Promise<string> {
  const saved = context.saved?.name;
  if (typeof saved === 'string') return saved;
  const proposed = expandComputerNameMask(run.manifest.setup.computerName, { ...run.host, random: run.random });
  const name = await context.ask({
    id: 'computer-name',
    question: 'Computer name of the guest',
    default: proposed,
    validate: computerNameProblem,
  });
  await context.save({ name });
  return name;
}

export function computerNameStep(run: SetupRun): SetupStep {
  return {
    id: STEP.computerName,
    title: 'Name the guest computer',
    weight: 3,
    failureCode: EventCodes.setupComputerNameFailed,
    async run(context) {
      const name = await decideName(run, context);
      await run.withAgent(context, async (session) => {
        const guest = await customizerFor(session, context.remainingMs());
        context.progress(`naming the guest ${name}`);
        await guest.setComputerName(session, name, context.remainingMs());
        const actual = await guest.computerName(session, context.remainingMs());
        if (actual.toLowerCase() !== name.toLowerCase()) {
          throw new TwinboxError('computer-name-not-applied', `the guest calls itself "${actual}" after being named "${name}"`);
        }
      });
      context.log('info', `computer name: ${name}`);
      return { name };
    },
  };
}
