import test from 'ava';
import type { VmState } from 'twinbox/plugin-api';
import { stateWithoutProcess, stateWithProcess } from '../../../../plugins/qemu/driver/vm-state.js';
import { mapRunState, statusOf } from '../../../../plugins/qemu/qmp/run-state.js';

test('QEMU run states map onto the shared vocabulary', (t) => {
  const table: Record<string, VmState> = {
    running: 'running',
    paused: 'paused',
    postmigrate: 'paused',
    debug: 'paused',
    shutdown: 'stopping',
    suspended: 'suspended',
    'save-vm': 'suspending',
    'finish-migrate': 'suspending',
    'restore-vm': 'starting',
    inmigrate: 'starting',
    prelaunch: 'starting',
    'internal-error': 'crashed',
    'io-error': 'crashed',
    'guest-panicked': 'crashed',
    watchdog: 'crashed',
    colo: 'running',
    'something-new': 'unknown',
  };
  for (const [status, state] of Object.entries(table)) t.is(mapRunState(status).state, state, status);
  t.regex(mapRunState('io-error').reason, /disk I\/O error/);
  t.regex(mapRunState('guest-panicked').reason, /panicked/);
  t.regex(mapRunState('something-new').reason, /something-new/);
});

test('statusOf reads query-status answers', (t) => {
  t.is(statusOf({ status: 'running', running: true }), 'running');
  t.is(statusOf({}), undefined);
  t.is(statusOf(null), undefined);
});

test('without a process: a pid file left behind by a running VM means it crashed', (t) => {
  const stale = { kind: 'stale', pid: 123, reason: 'qemu process 123 is gone' } as const;
  t.deepEqual(stateWithoutProcess('running', stale), { state: 'crashed', reason: 'qemu process 123 is gone (not stopped by twinbox)' });
  t.is(stateWithoutProcess('running', { kind: 'absent' }).state, 'stopped', 'QEMU removes its pid file on a normal exit (guest shutdown)');
  t.like(stateWithoutProcess('stopped', stale), { state: 'stopped', reason: 'stopped by twinbox' });
  t.like(stateWithoutProcess('stopping', { kind: 'absent' }), { state: 'stopped' });
  t.like(stateWithoutProcess('created', { kind: 'absent' }), { state: 'stopped' });
  t.like(stateWithoutProcess('suspended', stale), { state: 'suspended' });
  t.like(stateWithoutProcess('suspending', { kind: 'absent' }), { state: 'crashed' });
});

test('with a process: QMP decides, refined by what twinbox is doing', (t) => {
  t.deepEqual(stateWithProcess('running', 7, 'running'), { state: 'running', reason: 'running', pid: 7 });
  t.like(stateWithProcess('running', 7, 'paused'), { state: 'paused', pid: 7 });
  t.like(stateWithProcess('stopping', 7, 'running'), { state: 'stopping' });
  t.like(stateWithProcess('stopping', 7, undefined, 'closed'), { state: 'stopping' });
  t.like(stateWithProcess('running', 7, undefined, 'no greeting'), { state: 'unknown', pid: 7 });
  t.regex(stateWithProcess('running', 7, undefined, 'no greeting').reason, /no greeting/);
  t.like(stateWithProcess('suspending', 7, undefined), { state: 'suspending' });
  t.like(stateWithProcess('suspended', 7, undefined), { state: 'suspending' }, 'saved, quitting');
  t.like(stateWithProcess('running', 7, 'guest-panicked'), { state: 'crashed', pid: 7 });
});
