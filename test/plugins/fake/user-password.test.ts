import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { verifyFakeGuestPassword } from '../../../plugins/fake/index.js';
import { runningVm } from './helpers/running-vm.js';
import { QgaReplyError } from './helpers/tiny-qga-client.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

test('guest-set-user-password keeps only a salted hash in the guest shadow file, readable by its owner alone', async (t) => {
  const { connect, vm } = await runningVm(t);
  const client = await connect();
  const names = (await client.call<{ supported_commands: { name: string }[] }>('guest-info')).supported_commands.map((command) => command.name);
  t.true(names.includes('guest-set-user-password'));

  t.deepEqual(await client.call('guest-set-user-password', { username: 'twinbox', password: b64('first secret'), crypted: false }), {});
  const shadowPath = join(vm.vmDir, 'root', 'etc', 'shadow');
  const shadow = await readFile(shadowPath, 'utf8');
  t.false(shadow.includes('first secret'));
  t.false(shadow.includes(b64('first secret')));
  t.regex(shadow, /^twinbox:\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+:\d+:0:99999:7:::$/m);
  t.is((await stat(shadowPath)).mode & 0o777, 0o600);

  t.true(await verifyFakeGuestPassword(vm, 'twinbox', 'first secret'));
  t.false(await verifyFakeGuestPassword(vm, 'twinbox', 'first secre'));
  t.false(await verifyFakeGuestPassword(vm, 'root', 'first secret'), 'an account without a password set');
});

test('setting a password again replaces the old one and salts afresh', async (t) => {
  const { connect, vm } = await runningVm(t);
  const client = await connect();
  await client.call('guest-set-user-password', { username: 'twinbox', password: b64('same'), crypted: false });
  const first = await readFile(join(vm.vmDir, 'root', 'etc', 'shadow'), 'utf8');
  await client.call('guest-set-user-password', { username: 'root', password: b64('root one'), crypted: false });
  await client.call('guest-set-user-password', { username: 'twinbox', password: b64('same'), crypted: false });
  const second = await readFile(join(vm.vmDir, 'root', 'etc', 'shadow'), 'utf8');
  t.is(second.split('\n').filter((line) => line.startsWith('twinbox:')).length, 1, 'one line per account');
  t.not(first.split('\n')[0], second.split('\n').find((line) => line.startsWith('twinbox:')), 'a new salt each time');
  t.true(await verifyFakeGuestPassword(vm, 'twinbox', 'same'));
  t.true(await verifyFakeGuestPassword(vm, 'root', 'root one'));
});

test('an account missing from the guest fails the way qemu-ga reports a failed chpasswd', async (t) => {
  const { connect, vm } = await runningVm(t);
  const client = await connect();
  const error = await t.throwsAsync(client.call('guest-set-user-password', { username: 'nobody', password: b64('x'), crypted: false }), { instanceOf: QgaReplyError });
  t.is(error?.errorClass, 'GenericError');
  t.is(error?.desc, 'child process has failed to set user password');
  t.false(await verifyFakeGuestPassword(vm, 'nobody', 'x'));
});

test('the accounts are the ones in the guest /etc/passwd when the image has one', async (t) => {
  const { connect, vm } = await runningVm(t, { files: { 'etc/passwd': 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' } });
  const client = await connect();
  await client.call('guest-set-user-password', { username: 'alice', password: b64('wonder'), crypted: false });
  t.true(await verifyFakeGuestPassword(vm, 'alice', 'wonder'));
  await t.throwsAsync(client.call('guest-set-user-password', { username: 'twinbox', password: b64('x'), crypted: false }), {
    message: /child process has failed to set user password/,
  });
});

test('bad arguments get qemu-ga\'s messages', async (t) => {
  const { connect } = await runningVm(t);
  const client = await connect();
  const desc = async (args: Record<string, unknown>) => ((await t.throwsAsync(client.call('guest-set-user-password', args))) as QgaReplyError).desc;
  t.is(await desc({ username: 'twinbox', password: b64('two\nlines'), crypted: false }), 'forbidden characters in raw password');
  t.is(await desc({ username: 'twin:box', password: b64('x'), crypted: false }), 'forbidden characters in username');
  t.is(await desc({ username: 'twinbox', password: b64('x') }), "Parameter 'crypted' is missing");
  t.is(await desc({ username: 'twinbox', password: 'not base64!', crypted: false }), "Parameter 'password' is not valid base64");
});

test('a crypted password is stored as given, like chpasswd -e', async (t) => {
  const { connect, vm } = await runningVm(t);
  const client = await connect();
  const hash = '$6$salt$abcdefghijklmnopqrstuv';
  await client.call('guest-set-user-password', { username: 'twinbox', password: b64(hash), crypted: true });
  t.regex(await readFile(join(vm.vmDir, 'root', 'etc', 'shadow'), 'utf8'), /^twinbox:\$6\$salt\$abcdefghijklmnopqrstuv:/m);
});
