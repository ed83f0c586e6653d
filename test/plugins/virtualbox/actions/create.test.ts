import test from 'ava';
import type { VmSpec } from 'twinbox/plugin-api';
import { virtualbox } from '../support/harness.js';
import { demoFixture } from '../support/fixture.js';
import { VBoxSteps } from '../transcripts/vbox-steps.js';
import * as out from '../transcripts/vboxmanage-output.js';

function setup(t: { teardown: (fn: () => void) => void }, options: Parameters<typeof virtualbox>[1] = {}) {
  const h = virtualbox([], options);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const spec: VmSpec = {
    id: 'demo',
    vmDir: fixture.vmDir,
    memoryMiB: 1024,
    cpus: 2,
    network: 'nat',
    channels: ['org.qemu.guest_agent.0'],
    image: { path: '/images/base.vdi', format: 'vdi', sizeBytes: 1 },
  };
  return { ...h, fixture, vbox: new VBoxSteps(fixture), spec };
}

test('bridged networking picks the first host interface that is up', async (t) => {
  const h = setup(t);
  const [list, ...rest] = h.vbox.create('/images/base.vdi', { nic: ['--nic1', 'bridged', '--bridgeadapter1', 'wlp2s0'] });
  const bridges = h.vbox.call(['list', 'bridgedifs'], { stdout: out.bridgedifs([{ name: 'enp3s0', status: 'Down' }, { name: 'wlp2s0', status: 'Up' }]) });
  h.runner.append(list!, bridges, ...rest);
  await h.plugin.create({ ...h.spec, network: 'bridged' });
  t.notThrows(() => h.runner.assertDone());
});

test('no network and no channels: a NIC set to none and no serial port', async (t) => {
  const h = setup(t);
  const { uuid, vmDir } = h.fixture;
  h.runner.append(
    h.vbox.call(['list', 'vms'], { stdout: '' }),
    h.vbox.call(['createvm', '--name', 'twinbox-demo', '--basefolder', vmDir, '--ostype', 'Windows11_64', '--register'], { stdout: out.createvmOutput('twinbox-demo', uuid, vmDir) }),
    h.vbox.call(['modifyvm', uuid, '--cpus', '4', '--memory', '4096', '--acpi', 'on', '--ioapic', 'on', '--nic1', 'none']),
    h.vbox.call(['storagectl', uuid, '--name', 'SATA', '--add', 'sata', '--portcount', '1']),
    h.vbox.createDisk('/images/base.vdi'),
    h.vbox.attachDisk(),
  );
  const ref = await h.plugin.create({ ...h.spec, cpus: 4, memoryMiB: 4096, network: 'none', channels: [], guestOs: 'windows' });
  t.deepEqual(ref.data, { uuid, name: 'twinbox-demo', disk: h.vbox.diskPath });
  t.notThrows(() => h.runner.assertDone());
});

test('on Windows the serial ports are named pipes; two channels take COM1 and COM2', async (t) => {
  const h = setup(t, { platform: 'win32' });
  const { uuid, vmDir } = h.fixture;
  h.runner.append(
    h.vbox.call(['list', 'vms'], { stdout: '' }),
    h.vbox.call(['createvm', '--name', 'twinbox-demo', '--basefolder', vmDir, '--ostype', 'Linux_64', '--register'], { stdout: out.createvmOutput('twinbox-demo', uuid, vmDir) }),
    h.vbox.call([
      'modifyvm', uuid, '--cpus', '2', '--memory', '1024', '--acpi', 'on', '--ioapic', 'on', '--nic1', 'nat',
      '--uart1', '0x3F8', '4', '--uartmode1', 'server', '\\\\.\\pipe\\twinbox-demo',
      '--uart2', '0x2F8', '3', '--uartmode2', 'server', '\\\\.\\pipe\\twinbox-demo-2',
    ]),
    h.vbox.call(['storagectl', uuid, '--name', 'SATA', '--add', 'sata', '--portcount', '1']),
    h.vbox.createDisk('/images/base.vdi'),
    h.vbox.attachDisk(),
  );
  const ref = await h.plugin.create({ ...h.spec, channels: ['org.qemu.guest_agent.0', 'twinbox.console.0'] });
  t.like(ref.data, { 'channel:org.qemu.guest_agent.0': '\\\\.\\pipe\\twinbox-demo', 'channel:twinbox.console.0': '\\\\.\\pipe\\twinbox-demo-2' });
  t.notThrows(() => h.runner.assertDone());
});

test('a left-over VM with the same name is reported, not overwritten', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.call(['list', 'vms'], { stdout: out.listVms([{ name: 'twinbox-demo', uuid: '9f9f9f9f-0000-4000-8000-000000000001' }]) }));
  const error = await t.throwsAsync(h.plugin.create(h.spec));
  t.like(error, { code: 'vm-exists' });
  t.regex(String((error as { hint?: string }).hint), /VBoxManage unregistervm 9f9f9f9f-0000-4000-8000-000000000001 --delete/);
  t.notThrows(() => h.runner.assertDone());
});

test('a failure after createvm unregisters the half-made VM', async (t) => {
  const h = setup(t);
  const steps = h.vbox.create('/images/base.vdi');
  steps[4] = h.vbox.createDisk('/images/base.vdi', { exitCode: 1, stdout: '', stderr: out.accessDenied('/images/base.vdi') });
  h.runner.append(...steps.slice(0, 5), h.vbox.unregister());
  await t.throwsAsync(h.plugin.create(h.spec), { code: 'permission-denied' });
  t.notThrows(() => h.runner.assertDone());
});

test('a differencing disk that could not be attached is deleted before the VM is unregistered', async (t) => {
  const h = setup(t);
  const steps = h.vbox.create('/images/base.vdi');
  steps[5] = h.vbox.attachDisk({ exitCode: 1, stderr: out.lockedForSession('twinbox-demo', 'LockMachine(a->session, LockType_Write)', 'VBoxManageStorageController.cpp') });
  h.runner.append(...steps, steps[5]!, steps[5]!, h.vbox.call(['closemedium', 'disk', h.vbox.diskPath, '--delete'], { stderr: out.PROGRESS }), h.vbox.unregister());
  await t.throwsAsync(h.plugin.create(h.spec), { code: 'vm-busy' });
  t.notThrows(() => h.runner.assertDone());
});

test('when createvm prints no UUID line, the UUID comes from showvminfo', async (t) => {
  const h = setup(t);
  const steps = h.vbox.create('/images/base.vdi');
  steps[1] = { ...steps[1]!, stdout: "Virtuelle Maschine 'twinbox-demo' wurde erzeugt und registriert.\n" };
  const info = h.vbox.call(['showvminfo', 'twinbox-demo', '--machinereadable'], {
    stdout: out.showvminfo({ name: 'twinbox-demo', uuid: h.fixture.uuid, baseFolder: h.fixture.vmDir, state: 'poweroff' }),
  });
  h.runner.append(steps[0]!, steps[1]!, info, ...steps.slice(2));
  t.is((await h.plugin.create(h.spec)).data?.uuid, h.fixture.uuid);
  t.notThrows(() => h.runner.assertDone());
});

test('specs VirtualBox cannot honour are refused before anything runs', async (t) => {
  const h = setup(t);
  await t.throwsAsync(h.plugin.create({ ...h.spec, cpus: 0 }), { code: 'invalid-spec' });
  await t.throwsAsync(h.plugin.create({ ...h.spec, memoryMiB: 1.5 }), { code: 'invalid-spec' });
  await t.throwsAsync(h.plugin.create({ ...h.spec, channels: ['a', 'b', 'c', 'd', 'e'] }), { code: 'invalid-spec' });
  await t.throwsAsync(h.plugin.create({ ...h.spec, image: { path: '/images/base.qcow2', format: 'qcow2', sizeBytes: 1 } }), { code: 'image-not-imported' });
  await t.throwsAsync(h.plugin.create({ ...h.spec, id: 'Bad Name' }), { code: 'invalid-name' });
  t.notThrows(() => h.runner.assertDone());
});
