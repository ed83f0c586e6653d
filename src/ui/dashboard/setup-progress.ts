import type { SetupMode, SetupProgressEvent } from '../../core/setup/progress-events.js';

export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

export interface SetupStepView {
  id: string;
  title: string;
  state: StepState;
  attempt: number;
  durationMs?: number;
}

/** What the setup view shows, folded from setup's progress events. */
export interface SetupProgress {
  workspace: string;
  mode?: SetupMode;
  message?: string;
  steps: SetupStepView[];
  percent: number;
  elapsedMs: number;
  remainingMs?: number;
  /** The clock's time when the last event came, to keep the elapsed time ticking between events. */
  at: number;
  lines: Array<{ stream: 'stdout' | 'stderr' | 'info' | 'warn'; text: string }>;
  question?: { id: string; question: string; default: string };
  outcome?: { ok: true; text: string } | { ok: false; text: string; hint?: string };
}

/** Kept for the view; older lines are in the event log (`l`). */
const MAX_LINES = 200;

export function startSetupProgress(workspace: string, now: number): SetupProgress {
  return { workspace, steps: [], percent: 0, elapsedMs: 0, at: now, lines: [] };
}

function withStep(progress: SetupProgress, id: string, change: (step: SetupStepView) => SetupStepView): SetupStepView[] {
  return progress.steps.map((step) => (step.id === id ? change(step) : step));
}

function line(progress: SetupProgress, stream: SetupProgress['lines'][number]['stream'], text: string): SetupProgress['lines'] {
  return [...progress.lines, { stream, text }].slice(-MAX_LINES);
}

/** Folds one event into the view's state. */
export function applySetupEvent(progress: SetupProgress, event: SetupProgressEvent, now: number): SetupProgress {
  const next: SetupProgress = { ...progress, percent: event.percent ?? progress.percent, elapsedMs: event.elapsedMs, remainingMs: event.remainingMs, at: now };
  switch (event.type) {
    case 'setup-started':
      return {
        ...next,
        mode: event.mode,
        message: event.message,
        steps: event.steps.map((step) => ({ id: step.id, title: step.title, state: event.resumedAfter.includes(step.id) ? 'skipped' : 'pending', attempt: 0 })),
      };
    case 'step-started':
      return { ...next, steps: withStep(progress, event.step, (step) => ({ ...step, state: 'running', attempt: event.attempt })) };
    case 'step-progress':
      return { ...next, lines: line(progress, 'info', event.message) };
    case 'step-done':
      return { ...next, steps: withStep(progress, event.step, (step) => ({ ...step, state: event.skipped ? 'skipped' : 'done', durationMs: event.durationMs })) };
    case 'step-failed':
      return {
        ...next,
        steps: event.final ? withStep(progress, event.step, (step) => ({ ...step, state: 'failed' })) : progress.steps,
        lines: line(progress, 'warn', `failed (attempt ${event.attempt}): ${event.message}`),
      };
    case 'step-retry':
      return { ...next, lines: line(progress, 'warn', `retrying: attempt ${event.attempt} of ${event.maxAttempts}`) };
    case 'log-line':
      return { ...next, lines: line(progress, event.stream, event.line) };
    case 'prompt':
      return { ...next, question: { id: event.id, question: event.question, default: event.default } };
    case 'prompt-answered':
      return { ...next, question: undefined, lines: line(progress, 'info', `${event.id}: ${event.answer}${event.source === 'default' ? ' (default)' : ''}`) };
    case 'setup-ready':
      return {
        ...next,
        percent: 100,
        remainingMs: undefined,
        outcome: { ok: true, text: `${event.workspace} is ready: ${event.apps} app(s) published${event.computerName ? `, guest named ${event.computerName}` : ''}` },
      };
    case 'setup-failed':
      return {
        ...next,
        remainingMs: undefined,
        outcome: { ok: false, text: `setup failed at ${event.step} (event ${event.code}): ${event.message}`, hint: [event.hint, event.helpUrl ? `help: ${event.helpUrl}` : ''].filter(Boolean).join('; ') },
      };
  }
}
