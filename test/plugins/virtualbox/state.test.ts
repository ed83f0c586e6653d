import test from 'ava';
import type { VmState } from 'twinbox/plugin-api';
import { virtualbox } from './support/harness.js';
import { demoFixture } from './support/fixture.js';
import { VBoxSteps } from './transcripts/vbox-steps.js';
import { showvminfo } from './transcripts/vboxmanage-output.js';

// Every VMState VBoxManage prints (machineStateToName in VBoxManageInfo.cpp, machine-readable).
const TABLE: readonly [string, VmState][] = [
  ['poweroff', 'stopped'],
  ['saved', 'suspended'],
  ['teleported', 'stopped'],
  ['aborted', 'crashed'],
  ['aborted-saved', 'crashed'],
  ['running', 'running'],
  ['paused', 'paused'],
  ['gurumeditation', 'crashed'],
  ['starting', 'starting'],
  ['restoring', 'starting'],
  ['stopping', 'stopping'],
  ['saving', 'suspending'],
  ['livesnapshotting', 'running'],
  ['onlinesnapshotting', 'running'],
  ['deletingsnapshotlive', 'running'],
  ['deletingsnapshotlivepaused', 'paused'],
  ['teleporting', 'running'],
  ['teleportingpausedvm', 'paused'],
  ['teleportingin', 'starting'],
  ['settingup', 'stopped'],
  ['snapshotting', 'stopped'],
  ['restoringsnapshot', 'stopped'],
  ['deletingsnapshot', 'stopped'],
  ['unknown', 'unknown'],
];

for (const [vboxState, expected] of TABLE) {
  test(`VMState "${vboxState}" is ${expected}`, async (t) => {
    const h = virtualbox([]);
    t.teardown(h.paths.cleanup);
    const fixture = demoFixture(h.paths);
    h.runner.append(new VBoxSteps(fixture).showvminfo(vboxState));
    const status = await h.plugin.state({ id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } });
    t.is(status.state, expected);
    t.is(status.memoryBytes, 1024 * 1024 * 1024);
    t.true(status.reason.length > 0);
    t.notThrows(() => h.runner.assertDone());
  });
}

test('a running VM says since when; a crashed one points at its log folder', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const vbox = new VBoxSteps(fixture);
  h.runner.append(vbox.showvminfo('running'), vbox.showvminfo('aborted'));
  const ref = { id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } };
  t.is((await h.plugin.state(ref)).reason, 'running since 2026-11-23T10:00:00Z');
  const crashed = await h.plugin.state(ref);
  t.is(crashed.state, 'crashed');
  t.regex(crashed.reason, /ended unexpectedly/);
  t.true(crashed.reason.includes(`${fixture.vmDir}/twinbox-demo/Logs`));
  t.notThrows(() => h.runner.assertDone());
});

test('an unknown VMState (a newer VirtualBox, a translated build) is unknown with the raw value in the reason', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  h.runner.append(new VBoxSteps(fixture).showvminfo('angehalten'));
  const status = await h.plugin.state({ id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } });
  t.is(status.state, 'unknown');
  t.regex(status.reason, /VMState "angehalten"/);
  t.notThrows(() => h.runner.assertDone());
});

test('output without a VMState line is unknown, not a crash of the parser', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const vbox = new VBoxSteps(fixture);
  const text = showvminfo({ name: 'twinbox-demo', uuid: fixture.uuid, baseFolder: fixture.vmDir, state: 'running' }).replace(/^VMState=.*\n/m, '');
  h.runner.append(vbox.call(['showvminfo', fixture.uuid, '--machinereadable'], { stdout: text.replace(/\n/g, '\r\n') }));
  const status = await h.plugin.state({ id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } });
  t.is(status.state, 'unknown');
  t.regex(status.reason, /no VMState line/);
  t.notThrows(() => h.runner.assertDone());
});

test('a ref without a UUID (made before creation finished) is looked up by name', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const vbox = new VBoxSteps(fixture);
  h.runner.append(vbox.call(['showvminfo', 'twinbox-demo', '--machinereadable'], { stdout: showvminfo({ name: 'twinbox-demo', uuid: fixture.uuid, baseFolder: fixture.vmDir, state: 'paused' }) }));
  t.is((await h.plugin.state({ id: 'demo', vmDir: fixture.vmDir })).state, 'paused');
  t.notThrows(() => h.runner.assertDone());
});
