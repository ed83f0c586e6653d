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

test('start: a stopped VM starts headless; a running one is left alone', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('poweroff'), h.vbox.startvm(), h.vbox.showvminfo('running'));
  await h.plugin.start(h.ref);
  await h.plugin.start(h.ref);
  t.notThrows(() => h.runner.assertDone());
});

test('start: a paused VM is resumed, a saved one restored by startvm, a crashed one started again', async (t) => {
  const h = setup(t);
  h.runner.append(
    h.vbox.showvminfo('paused'),
    h.vbox.controlvm('resume'),
    h.vbox.showvminfo('saved'),
    h.vbox.startvm(),
    h.vbox.showvminfo('aborted'),
    h.vbox.startvm(),
  );
  await h.plugin.start(h.ref);
  await h.plugin.start(h.ref);
  await h.plugin.start(h.ref);
  t.notThrows(() => h.runner.assertDone());
});

test('start: a VM in guru meditation is powered off before it starts again', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('gurumeditation'), h.vbox.controlvm('poweroff'), h.vbox.startvm());
  await h.plugin.start(h.ref);
  t.notThrows(() => h.runner.assertDone());
});

test('start: refused while the VM is saving', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('saving'));
  await t.throwsAsync(h.plugin.start(h.ref), { message: /cannot start demo while it is suspending/ });
  t.notThrows(() => h.runner.assertDone());
});

test('stop: a guest that ignores the power button is powered off when the time is up', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.controlvm('acpipowerbutton'), h.vbox.showvminfo('running'), h.vbox.showvminfo('running'), h.vbox.showvminfo('running'), h.vbox.controlvm('poweroff'));
  t.deepEqual(await h.plugin.stop(h.ref, { timeoutMs: 3000 }), { how: 'forced' });
  t.deepEqual(h.sleeps, [1000, 1000, 1000]);
  t.notThrows(() => h.runner.assertDone());
});

test('stop: forced stops power off at once', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.controlvm('poweroff'));
  t.deepEqual(await h.plugin.stop(h.ref, { force: true }), { how: 'forced' });
  t.deepEqual(h.sleeps, []);
  t.notThrows(() => h.runner.assertDone());
});

test('stop: a guest that shuts down just before the power-off still counts as graceful', async (t) => {
  const h = setup(t);
  const notRunning = out.vboxError({
    message: 'Machine in invalid state 1 -- powered off',
    code: 'VBOX_E_INVALID_VM_STATE',
    hresult: '0x80bb0002',
    component: 'ConsoleWrap',
    iface: 'IConsole',
    context: 'PowerDown(progress.asOutParam())',
    line: 113,
    file: 'VBoxManageControlVM.cpp',
  });
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.controlvm('acpipowerbutton'), h.vbox.showvminfo('stopping'), h.vbox.controlvm('poweroff', { exitCode: 1, stderr: notRunning }), h.vbox.showvminfo('poweroff'));
  t.deepEqual(await h.plugin.stop(h.ref, { timeoutMs: 1000 }), { how: 'graceful' });
  t.notThrows(() => h.runner.assertDone());
});

test('stop: stopped and aborted VMs are already stopped; a paused one is resumed first; a saved one loses its state', async (t) => {
  const h = setup(t);
  h.runner.append(
    h.vbox.showvminfo('poweroff'),
    h.vbox.showvminfo('aborted'),
    h.vbox.showvminfo('paused'),
    h.vbox.controlvm('resume'),
    h.vbox.controlvm('acpipowerbutton'),
    h.vbox.showvminfo('poweroff'),
    h.vbox.showvminfo('saved'),
    h.vbox.discardstate(),
  );
  t.deepEqual(await h.plugin.stop(h.ref), { how: 'already-stopped' });
  t.deepEqual(await h.plugin.stop(h.ref), { how: 'already-stopped' });
  t.deepEqual(await h.plugin.stop(h.ref), { how: 'graceful' });
  t.deepEqual(await h.plugin.stop(h.ref), { how: 'forced' });
  t.notThrows(() => h.runner.assertDone());
});

test('stop: an abort signal ends the wait', async (t) => {
  const h = setup(t);
  const controller = new AbortController();
  controller.abort(new Error('user pressed Ctrl-C'));
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.controlvm('acpipowerbutton'));
  await t.throwsAsync(h.plugin.stop(h.ref, { signal: controller.signal }), { message: 'user pressed Ctrl-C' });
  t.notThrows(() => h.runner.assertDone());
});

test('pause, suspend (savestate) and resume (paused → resume, saved → startvm)', async (t) => {
  const h = setup(t);
  h.runner.append(
    h.vbox.showvminfo('running'),
    h.vbox.controlvm('pause'),
    h.vbox.showvminfo('paused'),
    h.vbox.controlvm('resume'),
    h.vbox.showvminfo('running'),
    h.vbox.controlvm('savestate'),
    h.vbox.showvminfo('saved'),
    h.vbox.startvm(),
  );
  await h.plugin.pause(h.ref);
  await h.plugin.resume(h.ref);
  await h.plugin.suspend(h.ref);
  await h.plugin.resume(h.ref);
  t.notThrows(() => h.runner.assertDone());
});

test('pause and suspend of a stopped VM are refused; both are no-ops when already done', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('poweroff'), h.vbox.showvminfo('poweroff'), h.vbox.showvminfo('paused'), h.vbox.showvminfo('saved'));
  await t.throwsAsync(h.plugin.pause(h.ref), { message: /cannot pause demo while it is stopped/ });
  await t.throwsAsync(h.plugin.suspend(h.ref), { message: /cannot suspend demo while it is stopped/ });
  await h.plugin.pause(h.ref);
  await h.plugin.suspend(h.ref);
  t.notThrows(() => h.runner.assertDone());
});
