import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { virtualbox } from './support/harness.js';
import { demoFixture } from './support/fixture.js';
import { VBoxSteps } from './transcripts/vbox-steps.js';
import * as out from './transcripts/vboxmanage-output.js';

function setup(t: { teardown: (fn: () => void) => void }, options: Parameters<typeof virtualbox>[1] = {}) {
  const h = virtualbox([], options);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const vbox = new VBoxSteps(fixture);
  const ref = { id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid, name: 'twinbox-demo' } };
  return { ...h, fixture, vbox, ref };
}

test('VirtualBox not installed: detect explains the fix, operations fail with it', async (t) => {
  const h = setup(t, { which: {} });
  const availability = await h.plugin.detect();
  t.false(availability.usable);
  t.regex(availability.reason, /install VirtualBox 7 from virtualbox\.org; VBoxManage must be on PATH/);
  const error = await t.throwsAsync(h.plugin.start(h.ref));
  t.true(isTwinboxError(error));
  t.like(error, { code: 'virtualbox-missing', hint: 'install VirtualBox 7 from virtualbox.org; VBoxManage must be on PATH' });
  t.notThrows(() => h.runner.assertDone());
});

test('VBoxManage.exe (Windows, or WSL) is found too, and through the installer variable when not on PATH', async (t) => {
  const wsl = setup(t, { which: { 'VBoxManage.exe': '/mnt/c/Program Files/Oracle/VirtualBox/VBoxManage.exe' } });
  wsl.runner.append({ argv: ['/mnt/c/Program Files/Oracle/VirtualBox/VBoxManage.exe', '--version'], env: { LANG: 'C', LC_ALL: 'C' }, stdout: '7.0.22r165102\r\n' });
  t.like(await wsl.plugin.detect(), { usable: true, version: '7.0.22' });
  t.notThrows(() => wsl.runner.assertDone());

  const exe = 'C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe';
  const windows = setup(t, { platform: 'win32', env: { VBOX_MSI_INSTALL_PATH: 'C:\\Program Files\\Oracle\\VirtualBox\\' }, which: { [exe]: exe } });
  windows.runner.append({ argv: [exe, '--version'], stdout: '7.1.4r165100\r\n' });
  t.like(await windows.plugin.detect(), { usable: true, version: '7.1.4', details: { binary: exe, revision: '165100' } });
  t.notThrows(() => windows.runner.assertDone());
});

test('a VM deleted behind twinbox’s back is not-created, and only VBOX_E_OBJECT_NOT_FOUND proves it', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfoGone(), h.vbox.showvminfoGone(), h.vbox.showvminfoGone());
  t.like(await h.plugin.state(h.ref), { state: 'not-created' });
  await t.throwsAsync(h.plugin.start(h.ref), { message: /no VM for demo/ });
  // Removing what is already gone succeeds: there is nothing left to clean up.
  await h.plugin.remove(h.ref);
  t.notThrows(() => h.runner.assertDone());
});

test('the "not found" proof is the status code, so a German message still means not-created', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfoGone({ german: true }));
  t.like(await h.plugin.state(h.ref), { state: 'not-created' });
  t.notThrows(() => h.runner.assertDone());
});

test('any other failure to read the VM is an error, never "not-created"', async (t) => {
  const h = setup(t);
  const serverDown = [
    'VBoxManage: error: Failed to create the VirtualBox object!',
    'VBoxManage: error: Code NS_ERROR_ABORT (0x80004004) - Operation aborted (extended info not available)',
    'VBoxManage: error: Most likely, the VirtualBox COM server is not running or failed to start.',
    '',
  ].join('\n');
  h.runner.append(h.vbox.call(['showvminfo', h.fixture.uuid, '--machinereadable'], { exitCode: 1, stderr: serverDown }));
  const error = await t.throwsAsync(h.plugin.state(h.ref));
  t.like(error, { code: 'vboxmanage-failed', message: 'VBoxManage showvminfo failed: Failed to create the VirtualBox object!' });
  t.notThrows(() => h.runner.assertDone());
});

test('permission denied on the image is a denied error with the VirtualBox text kept', async (t) => {
  const h = setup(t);
  const { writeFileSync } = await import('node:fs');
  const source = `${h.fixture.imagesDir}/locked.vmdk`;
  writeFileSync(source, '');
  const target = `${h.fixture.imagesDir}/base/locked.vdi`;
  h.runner.append(h.vbox.call(['clonemedium', 'disk', source, target, '--format', 'VDI'], { exitCode: 1, stderr: `0%...\n${out.accessDenied(source)}` }));
  const error = await t.throwsAsync(h.plugin.importImage({ source, format: 'vmdk', destinationDir: `${h.fixture.imagesDir}/base` }));
  t.like(error, { code: 'permission-denied', exit: 'denied' });
  t.regex(error!.message, /Could not open the medium/);
  t.regex(String((error as { details?: { output?: string } }).details?.output), /VERR_ACCESS_DENIED/);
  t.notThrows(() => h.runner.assertDone());
});

test('a command that hangs past its time limit is a timeout error', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('poweroff'), h.vbox.startvm({ stdout: `Waiting for VM "twinbox-demo" to power on...\n`, timedOut: true, exitCode: 143 }));
  const error = await t.throwsAsync(h.plugin.start(h.ref, { timeoutMs: 5000 }));
  t.like(error, { code: 'timeout', exit: 'timeout', message: 'VBoxManage startvm did not finish within 5 s' });
  t.notThrows(() => h.runner.assertDone());
});

test('"VBoxManage: error:" with exit code 0 is a failure (and create undoes itself)', async (t) => {
  const h = setup(t);
  const { uuid, vmDir } = h.fixture;
  const failure = out.vboxError({
    message: "Invalid --uartmode1 argument 'server'",
    code: 'E_INVALIDARG',
    hresult: '0x80070057',
    component: 'SerialPortWrap',
    iface: 'ISerialPort',
    context: 'COMSETTER(Path)(Bstr(a->argv[i + 1]).raw())',
    line: 2317,
    file: 'VBoxManageModifyVM.cpp',
  });
  const steps = h.vbox.create('/images/base.vdi').slice(0, 3);
  steps[2] = { ...steps[2]!, exitCode: 0, stderr: failure };
  h.runner.append(...steps, h.vbox.unregister());
  const error = await t.throwsAsync(
    h.plugin.create({ id: 'demo', vmDir, memoryMiB: 1024, cpus: 2, network: 'nat', channels: ['org.qemu.guest_agent.0'], image: { path: '/images/base.vdi', format: 'vdi', sizeBytes: 1 } }),
  );
  t.like(error, { code: 'vboxmanage-failed' });
  t.regex(error!.message, /Invalid --uartmode1 argument/);
  t.like((error as { details?: Record<string, unknown> }).details, { vboxCode: 'E_INVALIDARG', command: `VBoxManage modifyvm ${uuid} --cpus 2 --memory 1024 --acpi on --ioapic on --nic1 nat --uart1 0x3F8 4 --uartmode1 server ${h.fixture.socketPath}` });
  t.notThrows(() => h.runner.assertDone());
});

test('exit code 126 is a broken installation with the reinstall hint', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.call(['showvminfo', h.fixture.uuid, '--machinereadable'], { exitCode: 126, stderr: '/usr/bin/VBoxManage: 2: exec: /usr/lib/virtualbox/VBoxManage: Permission denied\n' }));
  const error = await t.throwsAsync(h.plugin.state(h.ref));
  t.like(error, { code: 'virtualbox-broken', hint: 'reinstall VirtualBox 7 from virtualbox.org' });
  t.notThrows(() => h.runner.assertDone());
});

test('a lock held by another session is retried a second apart, then succeeds', async (t) => {
  const h = setup(t);
  const locked = { exitCode: 1, stderr: out.lockedForSession('twinbox-demo', 'LockMachine(a->session, LockType_Shared)', 'VBoxManageControlVM.cpp') };
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.controlvm('pause', locked), h.vbox.controlvm('pause', locked), h.vbox.controlvm('pause'));
  await h.plugin.pause(h.ref);
  t.deepEqual(h.sleeps, [1000, 1000]);
  t.notThrows(() => h.runner.assertDone());
});

test('a lock that never goes away gives up after three attempts with a busy error', async (t) => {
  const h = setup(t);
  const locked = { exitCode: 1, stderr: out.lockedForSession('twinbox-demo') };
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.controlvm('pause', locked), h.vbox.controlvm('pause', locked), h.vbox.controlvm('pause', locked));
  const error = await t.throwsAsync(h.plugin.pause(h.ref));
  t.like(error, { code: 'vm-busy', exit: 'busy' });
  t.deepEqual(h.sleeps, [1000, 1000]);
  t.notThrows(() => h.runner.assertDone());
});

test('remove powers off, then waits out the lock the ending VM process still holds', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.controlvm('poweroff'), h.vbox.unregister({ exitCode: 1, stderr: out.unregisterWhileLocked('twinbox-demo') }), h.vbox.unregister());
  await h.plugin.remove(h.ref);
  t.deepEqual(h.sleeps, [1000]);
  t.notThrows(() => h.runner.assertDone());
});

test('a VM that vanishes between the state check and unregistervm counts as removed', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('poweroff'), h.vbox.unregister({ exitCode: 1, stderr: out.machineNotFound(h.fixture.uuid, { file: 'VBoxManageMisc.cpp' }) }));
  await h.plugin.remove(h.ref);
  t.notThrows(() => h.runner.assertDone());
});
