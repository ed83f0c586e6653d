import test from 'ava';
import type { VmSpec } from 'twinbox/plugin-api';
import { virtualbox, type HarnessOptions } from '../support/harness.js';
import { demoFixture } from '../support/fixture.js';
import { VBoxSteps } from '../transcripts/vbox-steps.js';
import * as out from '../transcripts/vboxmanage-output.js';

const VRDE_ARGS = ['--vrde', 'on', '--vrdeport', '5000-5050', '--vrdeaddress', '127.0.0.1', '--vrdeauthtype', 'external'];

function setup(t: { teardown: (fn: () => void) => void }, options: HarnessOptions = {}) {
  const h = virtualbox([], options);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const vbox = new VBoxSteps(fixture);
  const spec: VmSpec = {
    id: 'demo',
    vmDir: fixture.vmDir,
    memoryMiB: 1024,
    cpus: 2,
    network: 'nat',
    channels: ['org.qemu.guest_agent.0'],
    image: { path: '/images/base.vdi', format: 'vdi', sizeBytes: 1 },
    display: 'console',
  };
  return { ...h, fixture, vbox, spec, ref: { id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } } };
}

test('a VM asking for a screen gets VRDE on loopback, a port range and host-account authentication', async (t) => {
  const h = setup(t);
  const progress: string[] = [];
  h.runner.append(
    ...h.vbox.create('/images/base.vdi', {
      lookups: [h.vbox.version(), h.vbox.call(['list', 'extpacks'], { stdout: out.listExtpacks([{}]) })],
      screen: VRDE_ARGS,
    }),
  );
  const ref = await h.plugin.create(h.spec, { onProgress: (p) => progress.push(p.message ?? '') });
  t.notThrows(() => h.runner.assertDone());
  t.false(progress.some((message) => /no screen/.test(message)));
  t.is(ref.data?.screen, true);
});

test('vm.display "vnc" means the same as "console" on VirtualBox', async (t) => {
  const h = setup(t);
  h.runner.append(
    ...h.vbox.create('/images/base.vdi', {
      lookups: [h.vbox.version(), h.vbox.call(['list', 'extpacks'], { stdout: out.listExtpacks([{}]) })],
      screen: VRDE_ARGS,
    }),
  );
  await h.plugin.create({ ...h.spec, display: 'vnc' });
  t.notThrows(() => h.runner.assertDone());
});

test('VirtualBox 7.2.6 and later serve RDP themselves: no Extension Pack is looked for', async (t) => {
  const h = setup(t);
  h.runner.append(...h.vbox.create('/images/base.vdi', { lookups: [h.vbox.version('7.2.6r172322\n')], screen: VRDE_ARGS }));
  await h.plugin.create(h.spec);
  t.notThrows(() => h.runner.assertDone());
});

test('without the Extension Pack the VM is made without a screen, and the log and progress say why and how to fix it', async (t) => {
  const h = setup(t);
  const progress: string[] = [];
  h.runner.append(...h.vbox.create('/images/base.vdi', { lookups: [h.vbox.version(), h.vbox.call(['list', 'extpacks'], { stdout: out.listExtpacks([]) })] }));
  const ref = await h.plugin.create(h.spec, { onProgress: (p) => progress.push(p.message ?? '') });
  t.notThrows(() => h.runner.assertDone());
  t.is(ref.data?.uuid, h.fixture.uuid);
  const warning = h.logs.find((record) => record.level === 'warn');
  t.regex(warning?.message ?? '', /twinbox-demo gets no screen: VirtualBox 7\.1\.4 has no RDP screen server: the Oracle VirtualBox Extension Pack \(VBoxVRDP\) is not installed/);
  t.regex(String(warning?.fields?.hint), /VBoxManage extpack install --replace/);
  t.true(progress.some((message) => /gets no screen/.test(message) && /extpack install/.test(message)));
});

test('an Extension Pack without the RDP module (the 7.2.6 pack on an older VirtualBox) gives no screen either', async (t) => {
  const h = setup(t);
  const packs = out.listExtpacks([{ version: '7.2.6', revision: '172322', description: 'Oracle Cloud Infrastructure integration, PXE ROM.', vrdeModule: '' }]);
  h.runner.append(...h.vbox.create('/images/base.vdi', { lookups: [h.vbox.version(), h.vbox.call(['list', 'extpacks'], { stdout: packs })] }));
  await h.plugin.create(h.spec);
  t.notThrows(() => h.runner.assertDone());
  t.regex(h.logs.find((record) => record.level === 'warn')?.message ?? '', /Extension Pack \(VBoxVRDP\) is not installed/);
});

test('the VNC Extension Pack’s VRDE module is no RDP server; next to Oracle’s pack, Oracle’s counts', async (t) => {
  const vnc = { name: 'VNC', version: '7.1.4', description: 'VNC plugin module', vrdeModule: 'VBoxVNC', cryptoModule: '' };
  const alone = setup(t);
  alone.runner.append(...alone.vbox.create('/images/base.vdi', { lookups: [alone.vbox.version(), alone.vbox.call(['list', 'extpacks'], { stdout: out.listExtpacks([vnc]) })] }));
  await alone.plugin.create(alone.spec);
  t.notThrows(() => alone.runner.assertDone());
  t.regex(alone.logs.find((record) => record.level === 'warn')?.message ?? '', /\(VBoxVRDP\) is not installed/);

  const both = setup(t);
  both.runner.append(
    ...both.vbox.create('/images/base.vdi', { lookups: [both.vbox.version(), both.vbox.call(['list', 'extpacks'], { stdout: out.listExtpacks([vnc, {}]) })], screen: VRDE_ARGS }),
  );
  await both.plugin.create(both.spec);
  t.notThrows(() => both.runner.assertDone());
});

test('an installed but unusable Extension Pack is named with the reason VirtualBox gives', async (t) => {
  const why = 'The installed extension pack version 7.0.20 does not match VirtualBox 7.1.4';
  const h = setup(t);
  const packs = out.listExtpacks([{ version: '7.0.20', usable: false, whyUnusable: why }]);
  h.runner.append(...h.vbox.create('/images/base.vdi', { lookups: [h.vbox.version(), h.vbox.call(['list', 'extpacks'], { stdout: packs })] }));
  await h.plugin.create(h.spec);
  t.notThrows(() => h.runner.assertDone());
  t.is(h.logs.find((record) => record.level === 'warn')?.message, `twinbox-demo gets no screen: the Oracle VirtualBox Extension Pack is installed but unusable (${why})`);
});

test('a VM made without a screen for want of the Extension Pack gets VRDE at a start from powered off once VirtualBox can serve it', async (t) => {
  const h = setup(t);
  const ref = { ...h.ref, data: { ...h.ref.data, screen: true } };
  h.runner.append(
    h.vbox.showvminfo('poweroff'),
    h.vbox.version(),
    h.vbox.call(['list', 'extpacks'], { stdout: out.listExtpacks([{}]) }),
    h.vbox.call(['modifyvm', h.fixture.uuid, ...VRDE_ARGS]),
    h.vbox.startvm(),
  );
  await h.plugin.start(ref);
  t.notThrows(() => h.runner.assertDone());
});

test('with still no Extension Pack the VM starts without a screen, and the log says why again', async (t) => {
  const h = setup(t);
  const ref = { ...h.ref, data: { ...h.ref.data, screen: true } };
  h.runner.append(h.vbox.showvminfo('aborted'), h.vbox.version(), h.vbox.call(['list', 'extpacks'], { stdout: out.listExtpacks([]) }), h.vbox.startvm());
  await h.plugin.start(ref);
  t.notThrows(() => h.runner.assertDone());
  t.regex(h.logs.find((record) => record.level === 'warn')?.message ?? '', /^demo starts without a screen: .*Extension Pack \(VBoxVRDP\) is not installed/);
});

test('a VM that has its screen already, or is restored from saved state, starts with nothing looked up', async (t) => {
  const h = setup(t);
  const ref = { ...h.ref, data: { ...h.ref.data, screen: true } };
  h.runner.append(h.vbox.showvminfo('poweroff', {}, { vrde: { port: -1 } }), h.vbox.startvm(), h.vbox.showvminfo('saved'), h.vbox.startvm());
  await h.plugin.start(ref);
  await h.plugin.start(ref);
  t.notThrows(() => h.runner.assertDone());
});

test('a running VM shows its screen over RDP on the port it actually took from the range', async (t) => {
  const h = setup(t);
  // Another VM holds 5000, so this one took 5001.
  h.runner.append(h.vbox.showvminfo('running', {}, { vrde: { port: 5001 } }));
  const screen = await h.plugin.display(h.ref);
  t.deepEqual(screen, {
    protocol: 'rdp',
    address: '127.0.0.1:5001',
    viewer: 'xfreerdp /v:127.0.0.1:5001 /u:ada',
    viewerCommand: ['xfreerdp', '/v:127.0.0.1:5001', '/u:ada'],
  });
  t.notThrows(() => h.runner.assertDone());
});

test('a host account name with a space is quoted in the viewer line and kept whole in the argument array', async (t) => {
  const h = setup(t, { user: 'Ada Lovelace' });
  h.runner.append(h.vbox.showvminfo('running', {}, { vrde: { port: 5000 } }));
  const screen = await h.plugin.display(h.ref);
  t.is(screen?.viewer, 'xfreerdp /v:127.0.0.1:5000 "/u:Ada Lovelace"');
  t.deepEqual(screen?.viewerCommand, ['xfreerdp', '/v:127.0.0.1:5000', '/u:Ada Lovelace']);
});

test('on Windows the viewer is Remote Desktop Connection (mstsc), which asks for the account itself', async (t) => {
  const h = setup(t, { platform: 'win32' });
  h.runner.append(h.vbox.showvminfo('running', {}, { vrde: { port: 5002 } }));
  const screen = await h.plugin.display(h.ref);
  t.like(screen, { protocol: 'rdp', address: '127.0.0.1:5002', viewer: 'mstsc.exe /v:127.0.0.1:5002' });
  t.deepEqual(screen?.viewerCommand, ['mstsc.exe', '/v:127.0.0.1:5002']);
});

test('a stopped or suspended VM has no screen to watch, even with VRDE switched on', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('poweroff', {}, { vrde: { port: -1 } }), h.vbox.showvminfo('saved', {}, { vrde: { port: -1 } }));
  t.is(await h.plugin.display(h.ref), undefined);
  t.is(await h.plugin.display(h.ref), undefined);
  t.notThrows(() => h.runner.assertDone());
});

test('a running VM made without a screen (display none, or no Extension Pack) has none', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('running'));
  t.is(await h.plugin.display(h.ref), undefined);
  t.notThrows(() => h.runner.assertDone());
});

test('a running VM whose VRDE server did not start (the module went missing) has no screen, and the log says why', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('running', {}, { vrde: { port: -1 } }));
  t.is(await h.plugin.display(h.ref), undefined);
  t.regex(h.logs.find((record) => record.level === 'warn')?.message ?? '', /VRDE switched on but no screen server runs \(vrdeport -1\)/);
});

test('when every port of the range was taken at start, display says so, as busy, with the ports', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('running', {}, { vrde: { port: 0 } }));
  const error = await t.throwsAsync(h.plugin.display(h.ref));
  t.like(error, { code: 'vrde-ports-busy', exit: 'busy' });
  t.regex(error?.message ?? '', /every port it may use \(5000-5050\) on 127\.0\.0\.1 is taken/);
});

test('display of a VM deleted behind twinbox’s back reports it gone', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfoGone());
  await t.throwsAsync(h.plugin.display(h.ref), { code: 'vm-not-found' });
  t.notThrows(() => h.runner.assertDone());
});

test('display refuses an invalid VM id before running anything', async (t) => {
  const h = setup(t);
  await t.throwsAsync(h.plugin.display({ ...h.ref, id: '../etc' }), { code: 'invalid-name' });
  t.notThrows(() => h.runner.assertDone());
});
