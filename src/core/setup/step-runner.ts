import { isTwinboxError, TwinboxError, type Clock } from '../../plugin-api/index.js';
import { reasonOf } from '../error-reason.js';
import type { SetupJournal, StepData } from './journal.js';
import type { LogLineEvent } from './progress-events.js';
import type { ProgressTracker, UntimedEvent } from './progress-tracker.js';
import type { SetupPrompt } from './prompts.js';
import { crashPoint } from '../workspace/crash-points.js';

export interface StepContext {
  readonly step: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly timeoutMs: number;
  /** Aborted when the attempt runs out of time or setup is cancelled. */
  readonly signal: AbortSignal;
  /** What this step saved in an earlier attempt or an interrupted run. */
  readonly saved: StepData | undefined;
  /** Time left in this attempt. */
  remainingMs(): number;
  /** Journals a decision at once, before the step ends. */
  save(data: StepData): Promise<void>;
  progress(message: string, stepPercent?: number): void;
  log(stream: LogLineEvent['stream'], line: string): void;
  /** Attended mode asks the user; otherwise the default comes back. */
  ask(prompt: SetupPrompt): Promise<string>;
}

export interface SetupStep {
  id: string;
  title: string;
  /** Rough share of a typical setup's time, for the percentage and the estimate. */
  weight: number;
  /** The event code recorded when this step fails for good (see events/codes.ts). */
  failureCode: number;
  /** Must be idempotent: an interrupted run repeats the step. Returns data to journal. */
  run(context: StepContext): Promise<StepData | void>;
  /** Puts things right before another attempt (restarts a guest whose agent never answered). */
  beforeRetry?(attempt: number): Promise<void>;
}

/** MED-V's rule: a first attempt with a time limit, then retries with the limit grown each time. */
export interface RetryPolicy {
  maxRetries: number;
  timeoutMs: number;
  incrementMs: number;
}

export function attemptTimeoutMs(policy: RetryPolicy, attempt: number): number {
  return policy.timeoutMs + (attempt - 1) * policy.incrementMs;
}

export type PausePoint = 'start' | 'after';

export interface RunStepsOptions {
  journal: SetupJournal;
  policy: RetryPolicy;
  clock: Clock;
  tracker: ProgressTracker;
  emit: (event: UntimedEvent) => void;
  ask: (step: string, prompt: SetupPrompt) => Promise<string>;
  /** Test hook: holds a step at a point so that a test can kill the process right there. */
  pause?: (step: string, point: PausePoint) => Promise<void>;
  /** Called when a step begins (the caller records it where monitoring can see it). */
  onStepStart?: (step: SetupStep) => Promise<void>;
  signal?: AbortSignal;
}

export type StepsOutcome =
  | { ok: true }
  | { ok: false; step: SetupStep; error: TwinboxError };

/** Errors that another attempt cannot fix: bad input, refusals, failed verifications, and those that say so. */
function retryable(error: TwinboxError): boolean {
  return !['usage', 'denied', 'verification'].includes(error.exit) && error.details?.retryable !== false;
}

function asTwinboxError(error: unknown): TwinboxError {
  if (isTwinboxError(error)) return error;
  return new TwinboxError('setup-step-error', reasonOf(error), { cause: error });
}

/** A step that ignores its abort signal is given this long to notice before the next attempt starts anyway. */
const ABANDON_GRACE_MS = 2_000;

/**
 * Runs the steps in order, skipping those the journal has as done. A failing step is retried
 * up to `maxRetries` times, each attempt with a longer time limit; when the last attempt fails
 * the outcome names the step and its error.
 */
export async function runSteps(steps: readonly SetupStep[], options: RunStepsOptions): Promise<StepsOutcome> {
  const { journal, tracker, emit } = options;
  for (const step of steps) {
    if (journal.step(step.id)?.state === 'done') {
      tracker.stepDone(step.weight);
      emit({ type: 'step-done', step: step.id, title: step.title, durationMs: 0, skipped: true });
    }
  }
  const remaining = steps.filter((step) => journal.step(step.id)?.state !== 'done');
  for (const step of remaining) {
    const error = await runStep(step, steps.indexOf(step) + 1, steps.length, options);
    if (error) return { ok: false, step, error };
  }
  return { ok: true };
}

async function runStep(step: SetupStep, index: number, total: number, options: RunStepsOptions): Promise<TwinboxError | undefined> {
  const { journal, policy, clock, tracker, emit } = options;
  const maxAttempts = policy.maxRetries + 1;
  let retrying = false;
  for (;;) {
    const attempt = (journal.step(step.id)?.failures ?? 0) + 1;
    const timeoutMs = attemptTimeoutMs(policy, attempt);
    if (attempt > maxAttempts) return journalError(journal, step);
    if (retrying) {
      emit({ type: 'step-retry', step: step.id, attempt, maxAttempts, timeoutMs });
      try {
        await step.beforeRetry?.(attempt);
      } catch (error) {
        // The attempt itself will fail and say why; this only explains it.
        emit({ type: 'log-line', step: step.id, stream: 'warn', line: `preparing the retry failed: ${asTwinboxError(error).message}` });
      }
    }
    const startedAt = clock.now();
    await journal.started(step.id);
    await options.onStepStart?.(step);
    tracker.stepStarted(step.weight);
    emit({ type: 'step-started', step: step.id, title: step.title, index, total, attempt, timeoutMs });
    await options.pause?.(step.id, 'start');

    const controller = new AbortController();
    const context = stepContext(step, attempt, timeoutMs, startedAt, controller.signal, options);
    try {
      const data = await withTimeLimit(step, context, controller, options);
      await options.pause?.(step.id, 'after');
      await journal.done(step.id, data ?? undefined);
      crashPoint('setup:step-journaled');
      tracker.stepDone(step.weight);
      emit({ type: 'step-done', step: step.id, title: step.title, durationMs: clock.now() - startedAt, skipped: false });
      return undefined;
    } catch (caught) {
      const error = asTwinboxError(caught);
      if (options.signal?.aborted) {
        // Cancelled, not failed: the journal keeps the step as started, and the next run resumes it.
        emit({ type: 'step-failed', step: step.id, attempt, code: step.failureCode, error: error.code, message: error.message, final: true });
        return error;
      }
      const record = await journal.failed(step.id, { code: step.failureCode, message: error.message });
      const final = !retryable(error) || record.failures >= maxAttempts;
      emit({ type: 'step-failed', step: step.id, attempt, code: step.failureCode, error: error.code, message: error.message, final });
      if (final) return error;
      retrying = true;
    }
  }
}

function journalError(journal: SetupJournal, step: SetupStep): TwinboxError {
  const stored = journal.step(step.id)?.error;
  return new TwinboxError('setup-step-failed', stored?.message ?? `step ${step.id} failed`);
}

function stepContext(
  step: SetupStep,
  attempt: number,
  timeoutMs: number,
  startedAt: number,
  signal: AbortSignal,
  options: RunStepsOptions,
): StepContext {
  const { journal, clock, tracker, emit } = options;
  return {
    step: step.id,
    attempt,
    timeoutMs,
    signal,
    saved: journal.data(step.id),
    remainingMs: () => Math.max(0, startedAt + timeoutMs - clock.now()),
    save: (data) => journal.save(step.id, data),
    progress: (message, stepPercent) => {
      if (stepPercent !== undefined) tracker.stepPercent(stepPercent);
      emit({ type: 'step-progress', step: step.id, message, stepPercent });
    },
    log: (stream, line) => emit({ type: 'log-line', step: step.id, stream, line }),
    ask: (prompt) => options.ask(step.id, prompt),
  };
}

function timeLimitError(step: SetupStep, timeoutMs: number): TwinboxError {
  return new TwinboxError('setup-step-timeout', `${step.title} did not finish within ${formatDuration(timeoutMs)}`, {
    exit: 'timeout',
    details: { step: step.id, timeoutMs },
  });
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** Races the step against its time limit on the injected clock; on time-out the step is told to stop. */
async function withTimeLimit(step: SetupStep, context: StepContext, controller: AbortController, options: RunStepsOptions): Promise<StepData | void> {
  const stopTimer = new AbortController();
  const cancel = () => controller.abort(new TwinboxError('cancelled', 'setup was cancelled'));
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) cancel();
  const timeout = new Promise<never>((_, reject) => {
    options.clock.sleep(context.timeoutMs, stopTimer.signal).then(
      () => reject(timeLimitError(step, context.timeoutMs)),
      () => undefined,
    );
  });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  const work = step.run(context);
  try {
    return await Promise.race([work, timeout, aborted]);
  } catch (error) {
    if (!controller.signal.aborted) controller.abort(error);
    await settleOrAbandon(work);
    throw error;
  } finally {
    stopTimer.abort();
    options.signal?.removeEventListener('abort', cancel);
  }
}

async function settleOrAbandon(work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ABANDON_GRACE_MS);
    timer.unref();
  });
  await Promise.race([work.then(() => undefined, () => undefined), grace]);
  clearTimeout(timer);
}
