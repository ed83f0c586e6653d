import test from 'ava';
import type { SetupProgressEvent } from '../../../src/core/setup/progress-events.js';
import { applySetupEvent, startSetupProgress, type SetupProgress } from '../../../src/ui/dashboard/setup-progress.js';

function fold(events: SetupProgressEvent[]): SetupProgress {
  return events.reduce((progress, event, index) => applySetupEvent(progress, event, 1000 + index), startSetupProgress('office', 0));
}

const steps = [
  { id: 'vm', title: 'Create the VM' },
  { id: 'apps', title: 'Discover the guest apps' },
];

test('setup events fold into steps, percent, estimate, log lines and the question asked', (t) => {
  const progress = fold([
    { type: 'setup-started', workspace: 'office', version: '1.0.0', mode: 'attended', steps, resumedAfter: ['vm'], elapsedMs: 0, percent: 50 },
    { type: 'step-started', step: 'apps', title: 'Discover the guest apps', index: 2, total: 2, attempt: 2, timeoutMs: 60_000, elapsedMs: 10, percent: 50 },
    { type: 'log-line', step: 'apps', stream: 'stderr', line: 'no desktop files', elapsedMs: 20, percent: 60, remainingMs: 4000 },
    { type: 'prompt', step: 'apps', id: 'computer-name', question: 'Computer name?', default: 'PC1', elapsedMs: 30, percent: 60 },
  ]);
  t.like(progress, { mode: 'attended', percent: 60, elapsedMs: 30, at: 1003 });
  t.deepEqual(progress.steps.map((step) => `${step.id}:${step.state}:${step.attempt}`), ['vm:skipped:0', 'apps:running:2']);
  t.deepEqual(progress.lines, [{ stream: 'stderr', text: 'no desktop files' }]);
  t.deepEqual(progress.question, { id: 'computer-name', question: 'Computer name?', default: 'PC1' });
  const answered = applySetupEvent(progress, { type: 'prompt-answered', step: 'apps', id: 'computer-name', answer: 'PC1', source: 'default', elapsedMs: 40, percent: 60 }, 2000);
  t.is(answered.question, undefined);
  t.is(answered.lines.at(-1)!.text, 'computer-name: PC1 (default)');
});

test('a final failure marks its step failed and keeps the hint with the help address', (t) => {
  const progress = fold([
    { type: 'setup-started', workspace: 'office', version: '1.0.0', mode: 'unattended', steps, resumedAfter: [], elapsedMs: 0, percent: 0 },
    { type: 'step-failed', step: 'vm', attempt: 3, code: 1010, error: 'boom', message: 'disk full', final: true, elapsedMs: 5, percent: 0 },
    { type: 'setup-failed', workspace: 'office', step: 'vm', code: 1010, message: 'disk full', hint: 'run `twinbox reset office`', helpUrl: 'https://help', elapsedMs: 6, percent: 0 },
  ]);
  t.is(progress.steps[0]!.state, 'failed');
  t.deepEqual(progress.outcome, { ok: false, text: 'setup failed at vm (event 1010): disk full', hint: 'run `twinbox reset office`; help: https://help' });
  t.is(progress.remainingMs, undefined);
});
