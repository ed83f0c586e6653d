import test from 'ava';
import { virtualbox } from '../support/harness.js';
import { demoFixture } from '../support/fixture.js';
import { VBoxSteps } from '../transcripts/vbox-steps.js';
import * as out from '../transcripts/vboxmanage-output.js';

function setup(t: { teardown: (fn: () => void) => void }) {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  return { ...h, vbox: new VBoxSteps(fixture), ref: { id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } } };
}

test('the machine-readable snapshot tree is listed in tree order', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.snapshotList(['clean', 'after-update', 'with "quotes"']));
  t.deepEqual(await h.plugin.listSnapshots(h.ref), [{ name: 'clean' }, { name: 'after-update' }, { name: 'with "quotes"' }]);
  t.notThrows(() => h.runner.assertDone());
});

test('a duplicate snapshot name is refused before VirtualBox would accept it', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.snapshotList(['clean']));
  await t.throwsAsync(h.plugin.createSnapshot(h.ref, 'clean'), { message: 'demo already has a snapshot named "clean"' });
  t.notThrows(() => h.runner.assertDone());
});

test('names VBoxManage would read as options are refused without running anything', async (t) => {
  const h = setup(t);
  await t.throwsAsync(h.plugin.createSnapshot(h.ref, '--live'), { message: /not a usable snapshot name/ });
  await t.throwsAsync(h.plugin.deleteSnapshot(h.ref, 'two\nlines'), { message: /not a usable snapshot name/ });
  const escape = await t.throwsAsync(h.plugin.restoreSnapshot(h.ref, '../escape'));
  t.like(escape, { code: 'invalid-snapshot-name', hint: 'use letters, digits, dots, dashes and underscores (1–64 characters, starting with a letter or digit)' });
  t.notThrows(() => h.runner.assertDone());
});

test('a missing snapshot is snapshot-not-found, not a missing VM', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.snapshot('restore', 'nope', { exitCode: 1, stdout: '', stderr: out.snapshotNotFound('nope') }));
  await t.throwsAsync(h.plugin.restoreSnapshot(h.ref, 'nope'), { code: 'snapshot-not-found' });
  t.notThrows(() => h.runner.assertDone());
});

test('restoring a snapshot of a running VM is an invalid-state error', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.snapshot('restore', 'clean', { exitCode: 1, stdout: '', stderr: out.invalidVmState('twinbox-demo') }));
  const error = await t.throwsAsync(h.plugin.restoreSnapshot(h.ref, 'clean'));
  t.like(error, { code: 'invalid-state' });
  t.notThrows(() => h.runner.assertDone());
});

test('listing the snapshots of a deleted VM is an error (not an empty list)', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.call(['snapshot', h.ref.data.uuid, 'list', '--machinereadable'], { exitCode: 1, stderr: out.machineNotFound(h.ref.data.uuid, { file: 'VBoxManageSnapshot.cpp' }) }));
  await t.throwsAsync(h.plugin.listSnapshots(h.ref), { message: /VirtualBox has no such VM/ });
  t.notThrows(() => h.runner.assertDone());
});
