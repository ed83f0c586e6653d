import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import test from 'ava';
import type { GuestAgentSession, PluginLogger } from 'twinbox/plugin-api';
import { AGENT_CHANNEL } from '../../../plugins/qemu/index.js';
import { QgaGuestAgentPlugin } from '../../../plugins/qga/index.js';
import { BOOT_TIMEOUT_MS, guarded, qemuMissing, realSetup, tinySpec } from './helpers/real-qemu.js';

const missing = qemuMissing();
const realTest = missing ? test.skip : test.serial;
if (missing) console.log(`real-QEMU password test skipped: ${missing}`);

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

async function shadowEntry(session: GuestAgentSession, path: string, user: string): Promise<string[]> {
  const line = text(await session.readFile(path)).split('\n').find((entry) => entry.startsWith(`${user}:`));
  return line?.split(':') ?? [];
}

/** Whether `password` hashes, with the stored salt, to the stored SHA-512 crypt hash (checked in the guest). */
async function guestAccepts(session: GuestAgentSession, hash: string, password: string): Promise<boolean> {
  const salt = hash.split('$')[2] ?? '';
  const result = await session.exec({ path: '/bin/busybox', args: ['mkpasswd', '-m', 'sha512', '-S', salt, '-P', '0'], input: Buffer.from(password), timeoutMs: 30_000 });
  return text(result.stdout).trim() === hash;
}

realTest('setUserPassword through the real qemu-ga gives the twinbox account a crypt hash of the new password', guarded(async (t, watch) => {
  t.timeout(5 * 60_000);
  const setup = await realSetup(t);
  const { plugin } = setup;
  const base = await plugin.importImage({ source: setup.image, format: 'qcow2', destinationDir: join(setup.home, 'images') });
  const vm = watch(await plugin.create(tinySpec(setup, 'passwd', base.path)));
  t.teardown(() => plugin.remove(vm));
  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });

  const logged: string[] = [];
  const record = (message: string, fields?: Record<string, unknown>) => void logged.push(`${message} ${JSON.stringify(fields ?? {})}`);
  const logger: PluginLogger = { debug: record, info: record, warn: record, error: record };
  const session = await new QgaGuestAgentPlugin({ logger }).connect(await plugin.openChannel(vm, AGENT_CHANNEL), { timeoutMs: BOOT_TIMEOUT_MS });
  t.teardown(() => session.close());
  t.true((await session.info()).commands.includes('guest-set-user-password'));

  const before = await shadowEntry(session, '/etc/shadow', 'twinbox');
  t.is(before[1], '!', 'the account starts locked');

  const password = `tb-${randomBytes(12).toString('base64url')}`;
  await session.setUserPassword!('twinbox', password);
  const after = await shadowEntry(session, '/etc/shadow', 'twinbox');
  t.regex(after[1] ?? '', /^\$6\$[./0-9A-Za-z]+\$[./0-9A-Za-z]{86}$/, 'a SHA-512 crypt hash');
  t.true(await guestAccepts(session, after[1] ?? '', password), 'the hash is of the new password');
  t.false(await guestAccepts(session, after[1] ?? '', `${password}x`));
  t.deepEqual(await shadowEntry(session, '/mnt/disk/twinbox/etc/shadow', 'twinbox'), after, 'saved to the disk for the next boot');
  t.is((await shadowEntry(session, '/etc/shadow', 'root'))[1], '*', 'other accounts keep theirs');
  const mode = await session.exec({ path: '/bin/busybox', args: ['stat', '-c', '%a', '/etc/shadow'], timeoutMs: 30_000 });
  t.is(text(mode.stdout).trim(), '600');

  await t.throwsAsync(session.setUserPassword!('nobody', password), {
    code: 'guest-password-failed',
    message: 'could not set the password of nobody in the guest: child process has failed to set user password',
  });
  t.true(logged.some((line) => line.includes('guest-set-user-password')), 'the calls were traced');
  t.false(logged.join('\n').includes(password), 'the password is in no log line');
  t.false(logged.join('\n').includes(Buffer.from(password).toString('base64')));
  await plugin.stop(vm, { force: true, timeoutMs: 30_000 });
}));
