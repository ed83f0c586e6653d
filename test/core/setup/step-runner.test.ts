import { join } from 'node:path';
import test from 'ava';
import { TwinboxError } from 'twinbox/plugin-api';
import { SetupJournal } from '../../../src/core/setup/journal.js';
import type { SetupProgressEvent } from '../../../src/core/setup/progress-events.js';
import { ProgressTracker } from '../../../src/core/setup/progress-tracker.js';
import { runSteps, type RetryPolicy, type SetupStep, type StepContext } from '../../../src/core/setup/step-runner.js';
import { tempDir } from '../../helpers/temp.js';
import { ManualClock, settle } from './helpers/manual-clock.js';

const MINUTE = 60_000;
const MEDV_POLICY: RetryPolicy = { maxRetries: 2, timeoutMs: 45 * MINUTE, incrementMs: 15 * MINUTE };

async function harness(t: Parameters<typeof tempDir>[0], steps: SetupStep[], policy = MEDV_POLICY, signal?: AbortSignal) {
  const clock = new ManualClock();
  const journal = await SetupJournal.open(join(tempDir(t), 'journal.json'), 'office', '1.0.0', () => clock.now());
  const events: SetupProgressEvent[] = [];
  const tracker = new ProgressTracker(clock, steps.map((step) => step.weight));
  const run = () =>
    runSteps(steps, {
      journal,
      policy,
      clock,
      tracker,
      emit: (event) => events.push(tracker.stamp(event)),
      ask: async (_step, prompt) => prompt.default,
      signal,
    });
  return { clock, journal, events, run };
}

function step(id: string, run: (context: StepContext) => Promise<Record<string, string> | void>, extra: Partial<SetupStep> = {}): SetupStep {
  return { id, title: `Step ${id}`, weight: 1, failureCode: 1099, run, ...extra };
}

/** Never finishes by itself: ends only when its attempt is aborted. */
function hangs(context: StepContext): Promise<void> {
  return new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true }));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await settle();
  if (!check()) throw new Error('condition never held');
}

test('a step that runs out of time is retried with the limit grown each time, then fails with its code', async (t) => {
  let retries = 0;
  const { clock, journal, events, run } = await harness(t, [step('agent', hangs, { beforeRetry: async () => void retries++ })]);
  const outcome = run();
  for (const limit of [45, 60, 75]) {
    await until(() => clock.pending > 0);
    clock.advance(limit * MINUTE - 1);
    await settle();
    t.is(clock.pending, 1, `attempt with ${limit} min is still running just before its limit`);
    clock.advance(1);
  }
  const result = await outcome;
  t.false(result.ok);
  if (!result.ok) {
    t.is(result.step.id, 'agent');
    t.is(result.error.code, 'setup-step-timeout');
    t.is(result.error.exit, 'timeout');
  }
  const started = events.filter((event) => event.type === 'step-started');
  t.deepEqual(started.map((event) => event.type === 'step-started' && event.timeoutMs), [45 * MINUTE, 60 * MINUTE, 75 * MINUTE]);
  const failed = events.filter((event) => event.type === 'step-failed');
  t.deepEqual(failed.map((event) => event.type === 'step-failed' && [event.attempt, event.code, event.final]), [
    [1, 1099, false],
    [2, 1099, false],
    [3, 1099, true],
  ]);
  t.deepEqual(events.filter((event) => event.type === 'step-retry').map((event) => event.type === 'step-retry' && event.timeoutMs), [60 * MINUTE, 75 * MINUTE]);
  t.is(retries, 2);
  t.like(journal.step('agent'), { state: 'failed', failures: 3, runs: 3, error: { code: 1099 } });
});

test('a step that fails once and then works is retried and the run goes on', async (t) => {
  let calls = 0;
  const after: string[] = [];
  const { events, run, journal } = await harness(t, [
    step('flaky', async () => {
      calls++;
      if (calls === 1) throw new Error('transient');
      return { tries: String(calls) };
    }),
    step('next', async () => void after.push('next')),
  ]);
  t.deepEqual(await run(), { ok: true });
  t.is(calls, 2);
  t.deepEqual(after, ['next']);
  t.like(journal.step('flaky'), { state: 'done', failures: 1, data: { tries: '2' } });
  t.true(events.some((event) => event.type === 'step-retry' && event.attempt === 2));
  t.is(events.at(-1)?.percent, 100);
});

test('steps the journal has as done are skipped, not repeated', async (t) => {
  const ran: string[] = [];
  const steps = ['one', 'two', 'three'].map((id) => step(id, async () => void ran.push(id)));
  const first = await harness(t, steps);
  await first.journal.started('one');
  await first.journal.done('one', { kept: 'yes' });
  await first.journal.started('two');
  t.deepEqual(await first.run(), { ok: true });
  t.deepEqual(ran, ['two', 'three']);
  const skipped = first.events.filter((event) => event.type === 'step-done' && event.skipped);
  t.deepEqual(skipped.map((event) => event.type === 'step-done' && event.step), ['one']);
  t.like(first.journal.step('one'), { runs: 1, data: { kept: 'yes' } });
  t.like(first.journal.step('two'), { runs: 2, state: 'done' });
});

test('an error another attempt cannot fix fails the step at once', async (t) => {
  let calls = 0;
  const { run, journal } = await harness(t, [
    step('hypervisor', async () => {
      calls++;
      throw new TwinboxError('no-usable-hypervisor', 'none here', { details: { retryable: false } });
    }),
  ]);
  const outcome = await run();
  t.false(outcome.ok);
  t.is(calls, 1);
  t.like(journal.step('hypervisor'), { state: 'failed', failures: 1 });
});

test('a cancelled setup leaves the step resumable instead of failed', async (t) => {
  const controller = new AbortController();
  const { run, journal, clock } = await harness(t, [step('boot', hangs)], MEDV_POLICY, controller.signal);
  const outcome = run();
  await until(() => clock.pending > 0);
  controller.abort();
  const result = await outcome;
  t.false(result.ok);
  if (!result.ok) t.is(result.error.code, 'cancelled');
  t.like(journal.step('boot'), { state: 'started', failures: 0 });
});

test('the estimate of the time left counts only progress made in this run', async (t) => {
  const steps = [step('done-before', async () => undefined, { weight: 50 }), step('slow', async () => undefined, { weight: 25 }), step('last', async () => undefined, { weight: 25 })];
  const h = await harness(t, steps);
  await h.journal.started('done-before');
  await h.journal.done('done-before');
  const clock = h.clock;
  steps[1]!.run = async () => {
    clock.advance(10_000);
    return undefined;
  };
  t.deepEqual(await h.run(), { ok: true });
  const afterSlow = h.events.find((event) => event.type === 'step-started' && event.step === 'last');
  t.is(afterSlow?.percent, 75);
  t.is(afterSlow?.remainingMs, 10_000, '25 % took 10 s, so the last 25 % should too');
});
