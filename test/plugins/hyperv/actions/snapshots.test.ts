import test from 'ava';
import { hyperv } from '../support/harness.js';
import { DEMO_VM_ID, HyperVSteps } from '../transcripts/hyperv-steps.js';

const ps = new HyperVSteps();
const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID } };

test('checkpoint names with paths, quotes or control characters are refused before PowerShell runs', async (t) => {
  const { plugin, runner } = hyperv(t, []);
  for (const name of ['../escape', "it's", 'a\nb', '   ', '-x', 'ü']) {
    const error = await t.throwsAsync(plugin.createSnapshot(ref, name));
    t.like(error, { code: 'invalid-snapshot-name' }, name);
    t.truthy((error as { hint?: string }).hint);
  }
  t.deepEqual(runner.calls, []);
});

test('duplicate and missing checkpoints are distinct errors, not a missing VM', async (t) => {
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    { ...ps.createSnapshot('clean'), stdout: '{"ok":false,"error":"a checkpoint with that name exists","category":"ResourceExists","errorId":"TwinboxSnapshotExists"}\r\n' },
    ps.fail(ps.restoreSnapshotScript('nope'), 'no checkpoint has that name', 'ObjectNotFound', 'TwinboxSnapshotNotFound'),
  ]);
  await t.throwsAsync(plugin.createSnapshot(ref, 'clean'), { code: 'snapshot-exists' });
  await t.throwsAsync(plugin.restoreSnapshot(ref, 'nope'), { code: 'snapshot-not-found' });
  t.notThrows(() => runner.assertDone());
});
