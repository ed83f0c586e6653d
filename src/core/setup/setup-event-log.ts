import { EventCodes } from '../events/codes.js';
import type { EventLog } from '../events/event-log.js';
import type { SetupProgressEvent } from './progress-events.js';
import { formatDuration } from './step-runner.js';

/** Writes setup's progress into the workspace's event log, with the stable codes monitoring keys on. */
export function logSetupEvent(log: EventLog, event: SetupProgressEvent): void {
  switch (event.type) {
    case 'setup-started':
      log.event('info', EventCodes.setupStarted, `first-time setup of ${event.workspace} ${event.version} started (${event.mode})`, {
        steps: event.steps.map((step) => step.id),
      });
      if (event.resumedAfter.length > 0) {
        log.event('info', EventCodes.setupResumed, `resuming: ${event.resumedAfter.length} step(s) were done by an earlier run`, { done: event.resumedAfter });
      }
      return;
    case 'step-started':
      log.event('info', EventCodes.setupStepStarted, `step ${event.step} started (attempt ${event.attempt}, limit ${formatDuration(event.timeoutMs)})`, {
        step: event.step,
        attempt: event.attempt,
        timeoutMs: event.timeoutMs,
      });
      return;
    case 'step-done':
      if (!event.skipped) log.event('info', EventCodes.setupStepDone, `step ${event.step} done in ${formatDuration(event.durationMs)}`, { step: event.step, durationMs: event.durationMs });
      return;
    case 'step-failed':
      log.event(event.final ? 'error' : 'warn', event.code, `step ${event.step} failed (attempt ${event.attempt}): ${event.message}`, {
        step: event.step,
        attempt: event.attempt,
        error: event.error,
      });
      return;
    case 'step-retry':
      log.event('warn', EventCodes.setupStepRetry, `retrying step ${event.step}: attempt ${event.attempt} of ${event.maxAttempts}, limit ${formatDuration(event.timeoutMs)}`, {
        step: event.step,
        attempt: event.attempt,
        timeoutMs: event.timeoutMs,
      });
      return;
    case 'log-line':
      if (event.stream === 'stdout' || event.stream === 'stderr') {
        log.event('info', EventCodes.setupScriptOutput, event.line, { step: event.step, stream: event.stream });
      } else {
        log.write(event.stream, 'setup', event.line, { step: event.step });
      }
      return;
    case 'prompt-answered':
      log.event('info', EventCodes.setupPromptAnswered, `${event.id}: ${event.answer} (${event.source === 'user' ? 'answered' : 'default'})`, { step: event.step });
      return;
    case 'setup-ready':
      log.event('info', EventCodes.setupReady, `workspace ${event.workspace} is ready: ${event.apps} app(s) published`, { computerName: event.computerName });
      return;
    case 'setup-failed':
      log.event('error', EventCodes.setupFailed, `first-time setup failed at step ${event.step}: ${event.message}`, { step: event.step, code: event.code });
      return;
    default:
      return;
  }
}
