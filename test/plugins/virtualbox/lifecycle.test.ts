import test from 'ava';
import { virtualbox } from './support/harness.js';
import { demoFixture } from './support/fixture.js';
import { virtualboxLifecycle } from './transcripts/lifecycle.js';

test('a whole VM life replays the exact VBoxManage calls in order', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const life = virtualboxLifecycle(demoFixture(h.paths));
  h.runner.append(...life.steps);
  life.prepare();
  const { plugin } = h;

  const availability = await plugin.detect();
  t.true(availability.usable);
  t.is(availability.version, '7.1.4');

  const image = await plugin.importImage(life.importRequest);
  t.is(image.format, 'vdi');
  t.true(image.path.endsWith('debian-12.vdi'));
  t.is(image.sizeBytes, 2 * 1024 * 1024);

  const ref = await plugin.create(life.spec(image));
  t.deepEqual(ref, life.ref);

  await plugin.start(ref);
  t.is((await plugin.state(ref)).state, 'running');
  t.deepEqual(await plugin.stop(ref), { how: 'graceful' });
  t.deepEqual(h.sleeps, [1000, 1000]);

  t.deepEqual(await plugin.listSnapshots(ref), []);
  await plugin.createSnapshot(ref, 'clean');
  t.deepEqual(await plugin.listSnapshots(ref), [{ name: 'clean' }]);
  await plugin.restoreSnapshot(ref, 'clean');
  await plugin.deleteSnapshot(ref, 'clean');

  await plugin.remove(ref);
  t.is((await plugin.state(ref)).state, 'not-created');
  t.notThrows(() => h.runner.assertDone());
});

test('capabilities: linked clones, suspend, pause, snapshots, channels and every disk format', (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  t.deepEqual(h.plugin.capabilities(), {
    linkedClones: true,
    suspend: true,
    pause: true,
    snapshots: true,
    channels: true,
    importFormats: ['qcow2', 'raw', 'vhd', 'vhdx', 'vdi', 'vmdk'],
    createFormats: ['vdi'],
  });
  t.is(h.plugin.name, 'virtualbox');
  t.is(h.plugin.displayName, 'VirtualBox');
  t.false(h.plugin.simulated);
});
