import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { agent, BOOT_TIMEOUT_MS, guarded, qemuMissing, qemuProcessesUnder, realSetup, tinySpec } from './helpers/real-qemu.js';
import { consoleChannelName } from '../../../plugins/qemu/index.js';

const missing = qemuMissing();
const realTest = missing ? test.skip : test.serial;
if (missing) console.log(`real-QEMU lifecycle tests skipped: ${missing}`);

function timed<T>(label: string, log: (message: string) => void, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  return work().then((value) => {
    log(`${label}: ${Date.now() - started} ms`);
    return value;
  });
}

realTest('a tiny guest goes through import, create, start, pause, suspend, snapshots, stop and remove', guarded(async (t, watch) => {
  t.timeout(10 * 60_000);
  const setup = await realSetup(t);
  const { plugin } = setup;
  const log = (message: string) => t.log(message);

  const base = await timed('import (qcow2 copy)', log, () =>
    plugin.importImage({ source: setup.image, format: 'qcow2', destinationDir: join(setup.home, 'images') }),
  );
  t.is(statSync(base.path).mode & 0o777, 0o444, 'the base is read-only');

  const spec = tinySpec(setup, 'life', base.path, { channels: ['org.example.extra'], consoles: 1 });
  const vm = watch(await timed('create (linked clone)', log, () => plugin.create(spec)));
  t.teardown(() => plugin.remove(vm));
  t.is((await plugin.state(vm)).state, 'stopped');
  const configFile = join(spec.vmDir, 'qemu-vm.json');
  t.is(statSync(configFile).mode & 0o777, 0o600, 'the VM file is private');
  const saved = JSON.parse(readFileSync(configFile, 'utf8')) as { spec: { id: string }; argv: string[]; paths: { overlay: string } };
  t.is(saved.spec.id, 'life');
  t.true(saved.argv.includes('-daemonize'));
  t.true(saved.argv[0]?.endsWith('qemu-system-x86_64'));
  const overlayInfo = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', '-U', saved.paths.overlay], { encoding: 'utf8' })) as Record<string, unknown>;
  t.is(overlayInfo['backing-filename'], base.path, 'the disk is a linked clone of the base');

  await timed('start', log, () => plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS }));
  t.is((await plugin.state(vm)).state, 'running');
  // QMP, guest-agent and console sockets and the pid file: nobody but their owner may use them.
  const runDir = join(setup.runtimeDir, 'life');
  t.is(statSync(runDir).mode & 0o777, 0o700);
  const runFiles = readdirSync(runDir).map((name) => join(runDir, name));
  const sockets = runFiles.filter((path) => statSync(path).isSocket());
  t.true(sockets.length >= 3, `QMP, agent and console sockets in ${runDir}`);
  for (const path of sockets) t.is(statSync(path).mode & 0o777, 0o600, `${path} is 0600`);
  for (const path of runFiles) t.is(statSync(path).mode & 0o077, 0, `${path} is private`);
  let qga = await timed('agent ready (guest-sync-delimited)', log, () => agent(plugin, vm));
  await qga.call('guest-ping');
  const hello = await qga.exec('/usr/bin/hello');
  t.regex(hello.stdout, /Hello from the twinbox tiny guest/);

  // A console port reaches the guest's /dev/hvc0.
  const console0 = await plugin.openChannel(vm, consoleChannelName(0));
  const heard = new Promise<string>((resolve) => {
    let text = '';
    console0.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('via-console')) resolve(text);
    });
  });
  await qga.exec('/bin/sh', ['-c', 'echo via-console > /dev/hvc0']);
  t.regex(await heard, /via-console/);
  console0.destroy();
  await t.throwsAsync(plugin.openChannel(vm, 'no.such.channel'), { message: /no channel named no\.such\.channel/ });

  await plugin.pause(vm);
  t.is((await plugin.state(vm)).state, 'paused');
  await plugin.resume(vm);
  t.is((await plugin.state(vm)).state, 'running');
  await qga.call('guest-ping');

  // Memory content proves a restore rather than a fresh boot: /tmp is a RAM filesystem.
  await qga.exec('/bin/sh', ['-c', 'echo before-suspend > /tmp/marker']);
  qga.close();
  await timed('suspend', log, () => plugin.suspend(vm));
  t.is((await plugin.state(vm)).state, 'suspended');
  t.deepEqual(qemuProcessesUnder(setup.home), [], 'a suspended VM has no qemu process');
  t.deepEqual(await plugin.listSnapshots(vm), [], 'the saved state is not a user snapshot');

  await timed('start (restore)', log, () => plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS }));
  t.is((await plugin.state(vm)).state, 'running');
  qga = await timed('agent ready after restore', log, () => agent(plugin, vm));
  t.is((await qga.exec('/bin/cat', ['/tmp/marker'])).stdout.trim(), 'before-suspend');

  await timed('live snapshot', log, () => plugin.createSnapshot(vm, 'live one'));
  const listed = await plugin.listSnapshots(vm);
  t.deepEqual(listed.map((s) => s.name), ['live one']);
  t.true((listed[0]?.sizeBytes ?? 0) > 0, 'a live snapshot holds memory');
  await t.throwsAsync(plugin.createSnapshot(vm, 'live one'), { message: /already has a snapshot/ });
  await qga.exec('/bin/sh', ['-c', 'echo after-snapshot > /tmp/marker']);
  qga.close();
  await timed('live restore', log, () => plugin.restoreSnapshot(vm, 'live one'));
  qga = await agent(plugin, vm);
  t.is((await qga.exec('/bin/cat', ['/tmp/marker'])).stdout.trim(), 'before-suspend');
  await plugin.deleteSnapshot(vm, 'live one');
  t.deepEqual(await plugin.listSnapshots(vm), []);
  qga.close();

  const stopped = await timed('graceful stop', log, () => plugin.stop(vm));
  t.deepEqual(stopped, { how: 'graceful' });
  t.like(await plugin.state(vm), { state: 'stopped', reason: 'stopped by twinbox' });
  t.deepEqual(await plugin.stop(vm), { how: 'already-stopped' });
  await t.throwsAsync(plugin.openChannel(vm, 'org.qemu.guest_agent.0'), { message: /not running/ });

  await plugin.createSnapshot(vm, 'cold');
  t.deepEqual((await plugin.listSnapshots(vm)).map((s) => s.name), ['cold']);
  await plugin.restoreSnapshot(vm, 'cold');
  await plugin.deleteSnapshot(vm, 'cold');
  await t.throwsAsync(plugin.deleteSnapshot(vm, 'cold'), { message: /no snapshot named cold/ });

  await plugin.remove(vm);
  t.is((await plugin.state(vm)).state, 'not-created');
  t.throws(() => statSync(spec.vmDir), undefined, 'the VM folder is gone');
  t.notThrows(() => statSync(base.path), 'the base image stays');
  t.deepEqual(qemuProcessesUnder(setup.home), []);
  t.is(execFileSync('qemu-img', ['check', base.path], { encoding: 'utf8' }).includes('No errors'), true, 'the base is intact');
}));
