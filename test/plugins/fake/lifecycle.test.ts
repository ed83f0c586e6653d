import test from 'ava';
import { access, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTwinboxError, type ProgressReport } from 'twinbox/plugin-api';
import { AGENT_CHANNEL, eventually, fakeEnv, makeVm } from './helpers/fake-fixture.js';
import { runningVm } from './helpers/running-vm.js';

test('an imported image is a read-only copy, and bad imports fail clearly', async (t) => {
  const env = await fakeEnv(t);
  const source = join(env.base, 'disk.qcow2');
  await writeFile(source, Buffer.alloc(300_000, 7));
  const progress: ProgressReport[] = [];
  const destinationDir = join(env.base, 'images');
  const image = await env.fake.importImage({ source, format: 'qcow2', destinationDir }, { onProgress: (report) => progress.push(report) });
  t.deepEqual(image, { path: join(destinationDir, 'disk.qcow2'), format: 'qcow2', sizeBytes: 300_000 });
  t.is((await stat(image.path)).mode & 0o777, 0o444);
  t.deepEqual(await readFile(image.path), await readFile(source));
  t.is(progress.at(-1)?.percent, 100);
  t.deepEqual(await readdir(destinationDir), ['disk.qcow2'], 'no temporary file left');

  t.like(await t.throwsAsync(env.fake.importImage({ source, format: 'qcow2', destinationDir })), { code: 'image-exists' });
  t.like(await t.throwsAsync(env.fake.importImage({ source: join(env.base, 'missing.img'), format: 'raw', destinationDir })), {
    code: 'image-not-found',
  });
  const unsupported = { source, format: 'iso', destinationDir } as unknown as Parameters<typeof env.fake.importImage>[0];
  t.like(await t.throwsAsync(env.fake.importImage(unsupported)), { code: 'unsupported-format' });
});

test('create checks the id and refuses to overwrite a VM; its files are private', async (t) => {
  const env = await fakeEnv(t);
  const { vm, spec } = await makeVm(t, env);
  t.like(await t.throwsAsync(env.fake.create(spec)), { code: 'vm-exists' });
  for (const id of ['Bad', '../x', '', 'a'.repeat(41)]) {
    const error = await t.throwsAsync(env.fake.create({ ...spec, id, vmDir: join(env.base, 'vms', 'other') }));
    t.true(isTwinboxError(error) && error.code === 'invalid-name' && error.hint !== undefined, `id ${JSON.stringify(id)}`);
  }
  t.is((await stat(join(vm.vmDir, 'fake-vm.json'))).mode & 0o777, 0o600);
  t.is((await stat(vm.vmDir)).mode & 0o777, 0o700);
  t.deepEqual(await env.fake.listVms(), { [vm.id]: vm.vmDir });
});

test('the agent socket is short, private and in the runtime folder', async (t) => {
  const { env, vm } = await runningVm(t);
  const socketPath = join(env.paths.runtimeDir, `${vm.id}.qga`);
  t.true((await stat(socketPath)).isSocket());
  t.is((await stat(socketPath)).mode & 0o777, 0o600);
  t.is((await stat(env.paths.runtimeDir)).mode & 0o777, 0o700);
  t.true(Buffer.byteLength(socketPath) < 108);
  const log = await readFile(join(vm.vmDir, 'console.log'), 'utf8');
  t.regex(log, /booting/);
});

test('openChannel refuses unknown channels and stopped VMs with a hint', async (t) => {
  const env = await fakeEnv(t);
  const { vm } = await makeVm(t, env);
  const stopped = await t.throwsAsync(env.fake.openChannel(vm, AGENT_CHANNEL));
  t.true(isTwinboxError(stopped) && stopped.code === 'vm-not-running' && stopped.hint !== undefined);
  await env.fake.start(vm, { timeoutMs: 20_000 });
  const unknown = await t.throwsAsync(env.fake.openChannel(vm, 'com.example.serial'));
  t.true(isTwinboxError(unknown) && unknown.code === 'unknown-channel' && /org\.qemu\.guest_agent\.0/.test(unknown.hint ?? ''));
  const missing = await t.throwsAsync(env.fake.openChannel({ id: 'gone', vmDir: join(env.base, 'gone') }, AGENT_CHANNEL));
  t.like(missing, { code: 'vm-not-found' });
});

test('pause freezes the guest process, and a paused VM still stops gracefully', async (t) => {
  const { env, vm } = await runningVm(t);
  await env.fake.pause(vm);
  const { pid, state, reason } = await env.fake.state(vm);
  t.is(state, 'paused');
  t.is(reason, 'paused by request');
  const procState = async () => {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
  };
  t.true(await eventually(async () => (await procState()) === 'T'), 'the process is stopped');
  await env.fake.pause(vm);
  t.deepEqual(await env.fake.stop(vm, { timeoutMs: 5_000 }), { how: 'graceful' });
  const error = await t.throwsAsync(env.fake.pause(vm));
  t.like(error, { code: 'vm-not-running' });
});

test('a suspended VM comes back through start with its state restored', async (t) => {
  const { env, vm } = await runningVm(t);
  await env.fake.suspend(vm);
  const record = JSON.parse(await readFile(join(vm.vmDir, 'fake-vm.json'), 'utf8')) as { savedState?: { memory: string } };
  t.is(record.savedState?.memory, 'simulated');
  await env.fake.start(vm, { timeoutMs: 20_000 });
  t.like(await env.fake.state(vm), { state: 'running', reason: 'restored from saved state' });
  const after = JSON.parse(await readFile(join(vm.vmDir, 'fake-vm.json'), 'utf8')) as { savedState?: unknown };
  t.is(after.savedState, undefined);

  await env.fake.suspend(vm);
  t.deepEqual(await env.fake.stop(vm), { how: 'already-stopped' }, 'stopping a suspended VM discards its saved state');
  await env.fake.start(vm, { timeoutMs: 20_000 });
  t.like(await env.fake.state(vm), { state: 'running', reason: 'booted' });
  await env.fake.resume(vm);
  t.is((await env.fake.state(vm)).state, 'running', 'resuming a running VM changes nothing');
  await env.fake.stop(vm);
  t.like(await t.throwsAsync(env.fake.resume(vm)), { code: 'invalid-state' }, 'a stopped VM is started, not resumed');
});

test('snapshots save and restore the guest filesystem', async (t) => {
  const env = await fakeEnv(t);
  const { vm, root } = await makeVm(t, env);
  await writeFile(join(root, 'data.txt'), 'version 1');
  await env.fake.createSnapshot(vm, 'v1');
  await writeFile(join(root, 'data.txt'), 'version 2');
  await writeFile(join(root, 'extra.txt'), 'added later');
  t.like(await t.throwsAsync(env.fake.createSnapshot(vm, 'v1')), { code: 'snapshot-exists' });
  for (const name of ['', '..', 'a/b', '.hidden', 'x'.repeat(65)]) {
    t.like(await t.throwsAsync(env.fake.createSnapshot(vm, name)), { code: 'invalid-name' }, JSON.stringify(name));
  }
  await env.fake.start(vm, { timeoutMs: 20_000 });
  await env.fake.createSnapshot(vm, 'live');
  t.like(await t.throwsAsync(env.fake.restoreSnapshot(vm, 'v1')), { code: 'vm-running' });
  await env.fake.stop(vm, { force: true });
  await env.fake.restoreSnapshot(vm, 'v1');
  t.is(await readFile(join(root, 'data.txt'), 'utf8'), 'version 1');
  await t.throwsAsync(access(join(root, 'extra.txt')));
  t.like(await env.fake.state(vm), { state: 'stopped', reason: 'snapshot v1 restored' });
  t.deepEqual(
    (await env.fake.listSnapshots(vm)).map((snapshot) => snapshot.name),
    ['v1', 'live'],
  );
  await env.fake.deleteSnapshot(vm, 'v1');
  t.like(await t.throwsAsync(env.fake.deleteSnapshot(vm, 'v1')), { code: 'snapshot-not-found' });
  t.deepEqual(await readdir(join(vm.vmDir, 'snapshots')), ['live']);
});

test('remove deletes only what the fake made, and twice is harmless', async (t) => {
  const env = await fakeEnv(t);
  const { vm, image } = await makeVm(t, env, { start: true });
  await writeFile(join(vm.vmDir, 'notes.txt'), 'not the fake’s');
  await env.fake.remove(vm);
  t.deepEqual(await readdir(vm.vmDir), ['notes.txt']);
  t.is((await env.fake.state(vm)).state, 'not-created');
  await access(image.path);
  await env.fake.remove(vm);
  t.deepEqual(await env.fake.listVms(), {});
});

test('a second start is harmless and a concurrent one waits its turn', async (t) => {
  const { env, vm } = await runningVm(t);
  const { pid } = await env.fake.state(vm);
  await Promise.all([env.fake.start(vm), env.fake.start(vm)]);
  t.is((await env.fake.state(vm)).pid, pid);
  await env.fake.stop(vm, { force: true });
  await Promise.all([env.fake.start(vm, { timeoutMs: 20_000 }), env.fake.start(vm, { timeoutMs: 20_000 })]);
  const status = await env.fake.state(vm);
  t.is(status.state, 'running');
  const guests = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  let count = 0;
  for (const entry of guests) {
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('guest/main.js') && cmdline.includes(vm.vmDir)) count += 1;
  }
  t.is(count, 1, 'one guest process');
});

test('a lock left by a dead process does not block the VM', async (t) => {
  const env = await fakeEnv(t);
  const { vm } = await makeVm(t, env);
  // A pid above the kernel's limit (4194304) can never be alive.
  await writeFile(join(vm.vmDir, 'fake-vm.op.lock'), '99999999');
  await writeFile(join(vm.vmDir, 'fake-vm.json.lock'), '99999999');
  await env.fake.start(vm, { timeoutMs: 20_000 });
  t.is((await env.fake.state(vm)).state, 'running');
});
