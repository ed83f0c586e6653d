import { EventCodes } from '../../events/codes.js';
import { customizerFor } from '../guest/guest-customizer.js';
import { STEP, type SetupRun } from '../setup-run-context.js';
import type { SetupStep } from '../step-runner.js';

/** MED-V always synced the time zone from the host; here workspace.json can turn it off. */
export function timeZoneStep(run: SetupRun): SetupStep {
  return {
    id: STEP.timeZone,
    title: 'Copy the time zone',
    weight: 2,
    failureCode: EventCodes.setupTimeZoneFailed,
    async run(context) {
      const zone = run.host.timeZone;
      if (!zone) {
        context.log('warn', 'the host has no named time zone to copy; the guest keeps its own');
        return { zone: null };
      }
      const warnings = await run.withAgent(context, async (session) =>
        (await customizerFor(session, context.remainingMs())).setTimeZone(session, zone, context.remainingMs()),
      );
      for (const warning of warnings) context.log('warn', warning);
      context.log('info', `time zone: ${zone}`);
      return { zone };
    },
  };
}

export function localeStep(run: SetupRun): SetupStep {
  return {
    id: STEP.locale,
    title: 'Copy the locale',
    weight: 2,
    failureCode: EventCodes.setupLocaleFailed,
    async run(context) {
      const locale = run.host.locale;
      if (!locale) {
        context.log('warn', 'the host has no locale to copy; the guest keeps its own');
        return { locale: null };
      }
      const warnings = await run.withAgent(context, async (session) =>
        (await customizerFor(session, context.remainingMs())).setLocale(session, locale, context.remainingMs()),
      );
      for (const warning of warnings) context.log('warn', warning);
      context.log('info', `locale: ${locale}`);
      return { locale };
    },
  };
}
