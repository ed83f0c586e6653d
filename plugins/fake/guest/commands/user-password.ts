import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from 'twinbox/plugin-api';
import { resolveGuestPath } from '../guest-path.js';
import { base64Arg, badType, missing, QgaError, stringArg, type QgaArgs, type QgaCommand } from '../qga-error.js';

/** A guest whose image brings no /etc/passwd has the accounts of the tiny real guest. */
export const DEFAULT_GUEST_ACCOUNTS = ['root', 'twinbox'] as const;

/** scrypt's cost as 2^LOG_N; written into each hash, so a stored hash stays checkable if it changes. */
const LOG_N = 14;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** crypt(3)-style: `$scrypt$ln=14,r=8,p=1$<salt>$<key>`, base64 without padding. */
const SCRYPT_HASH = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const DAY_MS = 86_400_000;

function scrypt(password: Buffer, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

async function hashPassword(password: Buffer): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, { N: 2 ** LOG_N, r: BLOCK_SIZE, p: PARALLELISM });
  return `$scrypt$ln=${LOG_N},r=${BLOCK_SIZE},p=${PARALLELISM}$${unpadded(salt)}$${unpadded(key)}`;
}

async function matches(hash: string, candidate: string): Promise<boolean> {
  const parts = SCRYPT_HASH.exec(hash);
  if (!parts) return false;
  const [, logN, r, p, salt, key] = parts as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64');
  const N = 2 ** Number(logN);
  const actual = await scrypt(Buffer.from(candidate, 'utf8'), Buffer.from(salt, 'base64'), expected.length, { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) });
  return timingSafeEqual(actual, expected);
}

async function readGuestFile(root: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(await resolveGuestPath(root, path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((line) => line !== '');
}

async function accounts(root: string): Promise<string[]> {
  const passwd = await readGuestFile(root, '/etc/passwd');
  return passwd === undefined ? [...DEFAULT_GUEST_ACCOUNTS] : lines(passwd).map((line) => line.split(':')[0] ?? '');
}

/** The stored hash of `user` in the guest's /etc/shadow, if the account has one. */
async function storedHash(root: string, user: string): Promise<string | undefined> {
  const entry = lines(await readGuestFile(root, '/etc/shadow')).find((line) => line.split(':')[0] === user);
  return entry?.split(':')[1];
}

/** `user:hash:lastchg:min:max:warn:::` replaces the user's line or is added. */
async function storeHash(root: string, user: string, hash: string): Promise<void> {
  const path = await resolveGuestPath(root, '/etc/shadow');
  const kept = lines(await readGuestFile(root, '/etc/shadow')).filter((line) => line.split(':')[0] !== user);
  const entry = [user, hash, String(Math.floor(Date.now() / DAY_MS)), '0', '99999', '7', '', '', ''].join(':');
  await writeFileAtomic(path, `${[...kept, entry].join('\n')}\n`, { mode: 0o600 });
}

function booleanArg(args: QgaArgs, name: string): boolean {
  const value = args[name];
  if (value === undefined) throw missing(name);
  if (typeof value !== 'boolean') throw badType(name, 'boolean');
  return value;
}

/**
 * `guest-set-user-password` as qemu-ga on Linux does it (it feeds `user:password` to chpasswd),
 * but keeping only a salted scrypt hash in the guest's /etc/shadow (0600), never the password.
 * With `crypted` the given crypt hash is stored as it is, like `chpasswd -e`.
 */
export function userPasswordCommands(root: string): Record<string, QgaCommand> {
  // One change at a time, so two clients setting passwords at once both keep theirs.
  let queue: Promise<unknown> = Promise.resolve();
  const run = async (args: QgaArgs): Promise<Record<string, never>> => {
    const user = stringArg(args, 'username');
    const password = base64Arg(args, 'password') as Buffer;
    const crypted = booleanArg(args, 'crypted');
    // qemu-ga's own checks and messages, before chpasswd runs.
    if (password.includes(0x0a)) throw new QgaError('GenericError', 'forbidden characters in raw password');
    if (/[\n:]/.test(user)) throw new QgaError('GenericError', 'forbidden characters in username');
    // chpasswd fails for an unknown account, and qemu-ga reports only that it failed.
    if (!(await accounts(root)).includes(user) || (crypted && password.includes(0x3a))) {
      throw new QgaError('GenericError', 'child process has failed to set user password');
    }
    await storeHash(root, user, crypted ? password.toString('utf8') : await hashPassword(password));
    return {};
  };
  return {
    'guest-set-user-password': {
      run: (args) => {
        const result = queue.then(() => run(args));
        queue = result.catch(() => undefined);
        return result;
      },
    },
  };
}

/**
 * For tests: whether `candidate` is the password last set for `user` in the guest whose `/`
 * is the folder `root`. False for an account without a password set through the agent.
 */
export async function verifyGuestPassword(root: string, user: string, candidate: string): Promise<boolean> {
  const hash = await storedHash(root, user);
  return hash !== undefined && matches(hash, candidate);
}
