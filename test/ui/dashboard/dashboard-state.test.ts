import test from 'ava';
import type { SetupProgressEvent } from '../../../src/core/setup/progress-events.js';
import { askingSetup, INITIAL_STATE, openView, withLocal, withSetupEvent } from '../../../src/ui/dashboard/dashboard-state.js';

test('a view opens at its top and following; an action\'s progress replaces the last, its end removes it', (t) => {
  const scrolled = { ...INITIAL_STATE, scroll: 7, follow: false };
  t.like(openView(scrolled, { kind: 'logs', name: 'office' }), { view: { kind: 'logs', name: 'office' }, scroll: 0, follow: true });
  const running = withLocal(withLocal(INITIAL_STATE, 'office', { verb: 'starting' }), 'office', { verb: 'starting', progress: 'booting the VM' });
  t.deepEqual([...running.local], [['office', { verb: 'starting', progress: 'booting the VM' }]]);
  t.is(withLocal(running, 'office', undefined).local.size, 0);
  t.is(INITIAL_STATE.local.size, 0, 'the initial state is not changed');
});

const STARTED: SetupProgressEvent = { type: 'setup-started', workspace: 'lab', version: '1.0.0', mode: 'attended', steps: [], resumedAfter: [], elapsedMs: 0, percent: 0 };

test('a setup that starts opens its view from the list only; its question clears the answer line and is what typing answers', (t) => {
  const started = withSetupEvent({ ...INITIAL_STATE, answer: 'old' }, 'lab', STARTED, 1000);
  t.deepEqual(started.view, { kind: 'setup', name: 'lab' });
  t.is(started.answer, 'old');
  t.is(askingSetup(started), undefined);
  const elsewhere = withSetupEvent({ ...INITIAL_STATE, view: { kind: 'help' } }, 'lab', STARTED, 1000);
  t.deepEqual(elsewhere.view, { kind: 'help' });
  const asked = withSetupEvent(started, 'lab', { type: 'prompt', step: 'name', id: 'name', question: 'Computer name of the guest', default: 'lab', elapsedMs: 1000, percent: 10 }, 2000);
  t.is(asked.answer, '');
  t.is(askingSetup(asked), 'lab');
});
