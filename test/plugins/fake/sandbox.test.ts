import test from 'ava';
import { access, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTwinboxError } from 'twinbox/plugin-api';
import { ExecaCommandRunner } from '../../../src/core/process/execa-runner.js';
import { fakeEnv, makeVm } from './helpers/fake-fixture.js';
import { runningVm } from './helpers/running-vm.js';
import { decode, QgaReplyError, type TinyQgaClient } from './helpers/tiny-qga-client.js';

const GUEST_FILES = {
  'etc/os-release': 'ID=custom\nNAME="Custom Guest"\nPRETTY_NAME="Custom Guest 2"\nVERSION_ID=2\n',
  'usr/share/applications/hello.desktop': '[Desktop Entry]\nType=Application\nName=Hello\nExec=hello\n',
  'usr/bin/hello': '#!/bin/sh\necho "hello from the guest: $*"\n',
};

async function readGuestFile(client: TinyQgaClient, path: string, chunk = 4096): Promise<string> {
  const handle = await client.call<number>('guest-file-open', { path, mode: 'r' });
  const parts: Buffer[] = [];
  for (;;) {
    const read = await client.call<{ count: number; 'buf-b64': string; eof: boolean }>('guest-file-read', { handle, count: chunk });
    parts.push(Buffer.from(read['buf-b64'], 'base64'));
    if (read.eof) break;
  }
  await client.call('guest-file-close', { handle });
  return Buffer.concat(parts).toString('utf8');
}

test('a plain image gets a seeded guest filesystem', async (t) => {
  const env = await fakeEnv(t);
  const { root, vm } = await makeVm(t, env);
  t.is(
    await readFile(join(root, 'etc/os-release'), 'utf8'),
    'ID=twinbox-fake\nNAME="twinbox fake guest"\nPRETTY_NAME="twinbox fake guest (simulated)"\nVERSION_ID=1\n',
  );
  t.is(await readFile(join(root, 'etc/hostname'), 'utf8'), `${vm.id}\n`);
  t.deepEqual(await readdir(join(root, 'usr/share/applications')), []);
  t.true((await stat(join(root, 'tmp'))).isDirectory(), 'a scratch /tmp exists, as on any OS');
});

test('a tar image is unpacked into the guest, which keeps its own files, and the base is never written', async (t) => {
  const env = await fakeEnv(t);
  const { root, vm, image } = await makeVm(t, env, { files: GUEST_FILES });
  const baseBefore = await readFile(image.path);
  t.is((await stat(image.path)).mode & 0o777, 0o444, 'the base image is read-only');
  t.is(await readFile(join(root, 'etc/os-release'), 'utf8'), GUEST_FILES['etc/os-release'], 'the image os-release is kept');
  t.is(await readFile(join(root, 'etc/hostname'), 'utf8'), `${vm.id}\n`, 'a missing hostname is seeded');
  t.deepEqual(await readdir(join(root, 'usr/share/applications')), ['hello.desktop']);
  await env.fake.start(vm, { timeoutMs: 20_000 });
  await writeFile(join(root, 'new-file'), 'written in the guest');
  await env.fake.stop(vm, { force: true });
  t.deepEqual(await readFile(image.path), baseBefore, 'the base image is unchanged');
});

test('an image archive with absolute or .. members is refused', async (t) => {
  const env = await fakeEnv(t);
  const outside = join(env.base, 'outside');
  const inner = join(outside, 'inner');
  await mkdir(inner, { recursive: true });
  await writeFile(join(outside, 'secret'), 'x');
  const archive = join(env.base, 'evil.tar');
  // -P keeps the ".." in member names, as a hostile archive would.
  const made = await new ExecaCommandRunner().run('tar', ['-cPf', archive, '../secret'], { cwd: inner });
  t.is(made.exitCode, 0, made.stderr);
  const image = await env.fake.importImage({ source: archive, format: 'raw', destinationDir: join(env.base, 'images') });
  const vmDir = join(env.base, 'vms', 'evil');
  const error = await t.throwsAsync(
    env.fake.create({ id: 'evil', image, vmDir, memoryMiB: 64, cpus: 1, network: 'none', channels: [] }),
  );
  t.true(isTwinboxError(error));
  t.like(error, { code: 'unsafe-image' });
  t.truthy(isTwinboxError(error) && error.hint);
  t.is((await env.fake.state({ id: 'evil', vmDir })).state, 'not-created');
  await t.throwsAsync(access(join(env.base, 'vms', 'secret')));
});

test('guest paths cannot escape the guest root', async (t) => {
  const { env, root, vm, connect } = await runningVm(t);
  const hostSecret = join(env.base, 'host-secret');
  await writeFile(hostSecret, 'host only');
  await symlink('../../../../../../../../../..', join(root, 'up'));
  await symlink(hostSecret, join(root, 'host-link'));
  await symlink('/etc/hostname', join(root, 'abs-link'));
  const client = await connect();
  await client.sync();

  for (const path of ['/../../../../etc/passwd', '../etc/hostname', '/etc/../../x', '/up/etc/passwd', '/up' + hostSecret]) {
    const error = await t.throwsAsync(client.call('guest-file-open', { path, mode: 'r' }), { instanceOf: QgaReplyError }, path);
    t.regex(error?.desc ?? '', /outside the guest filesystem/, path);
  }
  const written = await t.throwsAsync(client.call('guest-file-open', { path: '/up' + join(env.base, 'planted'), mode: 'w' }), {
    instanceOf: QgaReplyError,
  });
  t.truthy(written);
  await t.throwsAsync(access(join(env.base, 'planted')), undefined, 'nothing was written outside');

  // An absolute link target is a guest path: it resolves inside the root, never to the host file.
  await t.throwsAsync(client.call('guest-file-open', { path: '/host-link', mode: 'r' }), { instanceOf: QgaReplyError });
  t.is(await readGuestFile(client, '/abs-link'), `${vm.id}\n`, 'an absolute link leads to the guest file');
  t.is(await readGuestFile(client, '/etc/../etc/./hostname'), `${vm.id}\n`, '.. inside the root is fine');

  await t.throwsAsync(client.exec('../../../bin/sh', ['-c', 'true']), { instanceOf: QgaReplyError });
});

test('guest-exec runs in the guest root with input, output, environment and exit code', async (t) => {
  const { root, connect } = await runningVm(t);
  const client = await connect();
  await client.sync();
  const script = 'echo out; echo err >&2; pwd; echo "$TWINBOX_GUEST_ROOT"; echo "$GREETING"; cat; exit 7';
  const status = await client.exec('/bin/sh', ['-c', script], {
    env: ['GREETING=hi there'],
    'input-data': Buffer.from('from stdin').toString('base64'),
  });
  t.is(status.exitcode, 7);
  t.is(decode(status['out-data']), `out\n${root}\n${root}\nhi there\nfrom stdin`);
  t.is(decode(status['err-data']), 'err\n');
  await t.throwsAsync(client.call('guest-exec-status', { pid: 999_999_999 }), { instanceOf: QgaReplyError });

  const { pid } = await client.call<{ pid: number }>('guest-exec', { path: 'sleep', arg: ['0.3'], 'capture-output': true });
  t.like(await client.call('guest-exec-status', { pid }), { exited: false });
  const killed = await client.exec('/bin/sh', ['-c', 'kill -9 $$']);
  t.is(killed.signal, 9);
  t.is(killed.exitcode, undefined);

  const reaped = await client.exec('true');
  t.is(reaped.exitcode, 0);
  const missing = await t.throwsAsync(client.call('guest-exec', { path: '/no/such/program' }), { instanceOf: QgaReplyError });
  t.regex(missing?.desc ?? '', /Failed to execute/);
});

test('an exited program is reported once, then reaped', async (t) => {
  const { connect } = await runningVm(t);
  const client = await connect();
  const { pid } = await client.call<{ pid: number }>('guest-exec', { path: 'true' });
  let status: { exited: boolean } = { exited: false };
  while (!status.exited) status = await client.call<{ exited: boolean }>('guest-exec-status', { pid });
  t.deepEqual(status, { exited: true, exitcode: 0 });
  await t.throwsAsync(client.call('guest-exec-status', { pid }), { instanceOf: QgaReplyError });
});

test('programs installed in the guest run instead of the host ones', async (t) => {
  const { connect } = await runningVm(t, { files: GUEST_FILES });
  const client = await connect();
  await client.sync();
  t.is(decode((await client.exec('hello', ['a']))['out-data']), 'hello from the guest: a\n');
  t.is(decode((await client.exec('/usr/bin/hello', ['b']))['out-data']), 'hello from the guest: b\n');
  t.like(await client.call('guest-get-osinfo'), { id: 'custom', name: 'Custom Guest', 'version-id': '2' });
});

test('files are written, appended, sought and read back in chunks', async (t) => {
  const { root, connect } = await runningVm(t);
  const client = await connect();
  await client.sync();
  const content = 'line one\nline two\n\u00e9t\u00e9 \u2603\n';
  await mkdir(join(root, 'tmp'), { recursive: true });
  const handle = await client.call<number>('guest-file-open', { path: '/tmp/notes.txt', mode: 'w' });
  const wrote = await client.call<{ count: number }>('guest-file-write', { handle, 'buf-b64': Buffer.from(content).toString('base64') });
  t.is(wrote.count, Buffer.byteLength(content));
  await client.call('guest-file-flush', { handle });
  await client.call('guest-file-close', { handle });
  t.is(await readFile(join(root, 'tmp/notes.txt'), 'utf8'), content, 'the file is in the guest root');
  t.is(await readGuestFile(client, '/tmp/notes.txt', 3), content, 'read back three bytes at a time');

  const append = await client.call<number>('guest-file-open', { path: '/tmp/notes.txt', mode: 'a' });
  await client.call('guest-file-write', { handle: append, 'buf-b64': Buffer.from('more\n').toString('base64') });
  await client.call('guest-file-close', { handle: append });
  t.is(await readFile(join(root, 'tmp/notes.txt'), 'utf8'), `${content}more\n`);

  const seek = await client.call<number>('guest-file-open', { path: '/tmp/notes.txt', mode: 'r' });
  t.like(await client.call('guest-file-seek', { handle: seek, offset: 5, whence: 'set' }), { position: 5 });
  const read = await client.call<{ 'buf-b64': string }>('guest-file-read', { handle: seek, count: 3 });
  t.is(Buffer.from(read['buf-b64'], 'base64').toString(), 'one');
  await client.call('guest-file-close', { handle: seek });
  await t.throwsAsync(client.call('guest-file-read', { handle: seek }), { instanceOf: QgaReplyError }, 'a closed handle is gone');
  const missing = await t.throwsAsync(client.call('guest-file-open', { path: '/no/such/file' }), { instanceOf: QgaReplyError });
  t.regex(missing?.desc ?? '', /No such file/);
});
