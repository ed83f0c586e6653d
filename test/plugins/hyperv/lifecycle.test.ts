import test from 'ava';
import { hyperv } from './support/harness.js';
import { tempLifecyclePaths } from './support/temp.js';
import { hypervLifecycle } from './transcripts/lifecycle.js';

test('a whole VM life runs through ONE PowerShell host with the exact scripts in order', async (t) => {
  const life = hypervLifecycle(tempLifecyclePaths(t));
  const { plugin, runner, sleeps } = hyperv(t, life.steps, { shellChunkSize: 7 });

  const availability = await plugin.detect();
  t.true(availability.usable, availability.reason);
  t.is(availability.version, '2.0.0.0');

  const image = await plugin.importImage(life.importRequest);
  t.like(image, { format: 'vhdx', sizeBytes: 1610612736 });

  const ref = await plugin.create(life.spec(image));
  t.deepEqual(ref, life.ref);

  await plugin.start(ref);
  t.like(await plugin.state(ref), { state: 'running', reason: 'running for 5 min', cpuPercent: 3, memoryBytes: 1073741824, pid: 7316 });
  t.deepEqual(await plugin.stop(ref), { how: 'graceful' });
  t.deepEqual(sleeps, [1000, 1000]);

  t.deepEqual(await plugin.listSnapshots(ref), []);
  await plugin.createSnapshot(ref, 'clean');
  t.deepEqual(await plugin.listSnapshots(ref), [{ name: 'clean', createdAt: '2026-11-23T10:00:00.0000000Z' }]);
  await plugin.restoreSnapshot(ref, 'clean');
  await plugin.deleteSnapshot(ref, 'clean');

  await plugin.remove(ref);
  t.is((await plugin.state(ref)).state, 'not-created');

  t.is(runner.calls.filter((call) => call.kind === 'spawn').length, 1);
  t.notThrows(() => runner.assertDone());
});

test('capabilities: channels only on Windows itself (not from WSL)', (t) => {
  t.like(hyperv(t, []).plugin.capabilities(), { linkedClones: true, suspend: true, pause: true, snapshots: true, channels: true });
  t.like(hyperv(t, [], { host: 'wsl' }).plugin.capabilities(), { channels: false, importFormats: ['qcow2', 'raw', 'vhd', 'vhdx', 'vdi', 'vmdk'] });
});
