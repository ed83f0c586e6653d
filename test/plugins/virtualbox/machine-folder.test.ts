import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { virtualbox } from './support/harness.js';
import { demoFixture } from './support/fixture.js';
import { VBoxSteps } from './transcripts/vbox-steps.js';
import * as out from './transcripts/vboxmanage-output.js';

function setup(t: { teardown: (fn: () => void) => void }) {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const machine = join(fixture.vmDir, 'twinbox-demo');
  return { ...h, fixture, machine, vbox: new VBoxSteps(fixture), ref: { id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } } };
}

test('a running VM’s pid comes from its VBox.log; a saved one has none', async (t) => {
  const h = setup(t);
  mkdirSync(join(h.machine, 'Logs'), { recursive: true });
  writeFileSync(join(h.machine, 'Logs', 'VBox.log'), out.vboxLogHeader(48213));
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.showvminfo('saved'));
  t.like(await h.plugin.state(h.ref), { state: 'running', pid: 48213 });
  t.is((await h.plugin.state(h.ref)).pid, undefined);
  t.notThrows(() => h.runner.assertDone());
});

test('a running VM whose log cannot be read simply has no pid', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('running'));
  const status = await h.plugin.state(h.ref);
  t.is(status.state, 'running');
  t.is(status.pid, undefined);
  t.notThrows(() => h.runner.assertDone());
});

test('a VM whose folder was deleted is not-created though VirtualBox still lists it; remove forgets it', async (t) => {
  const h = setup(t);
  const inaccessible = h.vbox.call(['showvminfo', h.fixture.uuid, '--machinereadable'], { stdout: out.showvminfoInaccessible(h.fixture.uuid) });
  h.runner.append(inaccessible, inaccessible, h.vbox.call(['unregistervm', h.fixture.uuid]));
  const status = await h.plugin.state(h.ref);
  t.is(status.state, 'not-created');
  t.regex(status.reason, /settings file .*twinbox-demo\.vbox is gone/);
  await h.plugin.remove(h.ref);
  t.notThrows(() => h.runner.assertDone());
});

test('an inaccessible VM whose settings file is still there is unknown, not gone', async (t) => {
  const h = setup(t);
  mkdirSync(h.machine, { recursive: true });
  writeFileSync(join(h.machine, 'twinbox-demo.vbox'), '<VirtualBox/>');
  h.runner.append(h.vbox.call(['showvminfo', h.fixture.uuid, '--machinereadable'], { stdout: out.showvminfoInaccessible(h.fixture.uuid) }));
  const status = await h.plugin.state(h.ref);
  t.is(status.state, 'unknown');
  t.regex(status.reason, /cannot read its settings file/);
  t.notThrows(() => h.runner.assertDone());
});

test('remove leaves the VM folder empty, whatever VirtualBox left behind', async (t) => {
  const h = setup(t);
  mkdirSync(join(h.machine, 'Logs'), { recursive: true });
  writeFileSync(join(h.machine, 'Logs', 'VBox.log.1'), 'old log');
  h.runner.append(h.vbox.showvminfo('poweroff'), h.vbox.unregister());
  await h.plugin.remove(h.ref);
  t.false(existsSync(h.machine));
  t.deepEqual(existsSync(h.fixture.vmDir) ? readdirSync(h.fixture.vmDir) : [], []);
  t.notThrows(() => h.runner.assertDone());
});
