import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { TwinboxError, type TwinboxErrorOptions } from './errors.js';

/** Who holds a lock: written into the lock file. */
export interface LockHolder {
  pid: number;
  /** What the holder is doing ("setup", "start"…). */
  operation: string;
  since: string;
}

export interface HeldLock {
  readonly holder: LockHolder;
  release(): void;
}

export interface FileLockOptions {
  /** What the lock guards, as its messages name it (`workspace "office"`, `the registry`); the lock file's path by default. */
  what?: string;
  /** The error a busy lock fails with instead of the `busy` one, given the holder when it could be read. */
  busy?: (holder: LockHolder | undefined) => Error;
  /** How long to wait for a busy lock, in steps of `pollMs`, before failing; 0 (the default) fails at once. */
  waitMs?: number;
  /** 20 ms unless told. */
  pollMs?: number;
  /**
   * Whether a missing folder is created (0700) for the lock; true by default. With false, a
   * missing folder fails with ENOENT (or ENOTDIR) naming the lock file.
   */
  createDir?: boolean;
  /** The clock of the holder's `since`. */
  now?: () => number;
}

/** True while a process of that id exists (EPERM: it exists, owned by someone else). 0 and below name no process (but a group to kill). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a lock file holds: missing, unreadable (not a holder), or a holder and the file's identity. */
type LockFileState = { kind: 'missing' } | { kind: 'unreadable'; raw: string; ino: number } | { kind: 'held'; holder: LockHolder; raw: string; ino: number };

function readLockFile(file: string): LockFileState {
  // Unlocked is the common case, read on every status poll: a stat finding nothing costs far
  // less than a failed read, which builds an error and its stack.
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return { kind: 'missing' };
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    // Removed between the stat and the read: released.
    return { kind: 'missing' };
  }
  try {
    const holder = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof holder?.pid === 'number') return { kind: 'held', holder: holder as LockHolder, raw, ino: stat.ino };
  } catch {
    // not JSON: unreadable
  }
  return { kind: 'unreadable', raw, ino: stat.ino };
}

function readHolder(file: string): LockHolder | undefined {
  const state = readLockFile(file);
  return state.kind === 'held' ? state.holder : undefined;
}

/** A breaker left by a process that died while removing a stale lock is itself stale after this. */
const BREAKER_STALE_MS = 5_000;

/**
 * Removes a stale lock file, the very one that was seen. Two processes finding the same stale
 * lock must not both remove "the lock": the second would remove the fresh lock the first has
 * just taken. So removal happens only while holding `<file>.break` (created exclusively), and
 * only if the file is still the one seen (same inode, same content). Taking a lock never needs
 * the breaker: only removing one does.
 */
function removeStale(file: string, seen: { raw: string; ino: number }): void {
  const breaker = `${file}.break`;
  try {
    createComplete(breaker, JSON.stringify({ pid: process.pid }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process is removing it right now. A breaker its remover left behind (a crash in
    // the few microseconds it is held) is cleared once old enough; then the caller tries again.
    const stat = statSync(breaker, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > BREAKER_STALE_MS) {
      try {
        unlinkSync(breaker);
      } catch {
        // cleared by another process
      }
    }
    return;
  }
  try {
    const now = readLockFile(file);
    if (now.kind !== 'missing' && now.ino === seen.ino && now.raw === seen.raw) unlinkSync(file);
  } finally {
    unlinkSync(breaker);
  }
}

/**
 * Creates `file` with its content in one step, failing with EEXIST when it exists: written to
 * a file of this process's own first, then linked into place. A lock file created empty and
 * written after would, for a moment, look unreadable, that is stale, to another process,
 * which would remove it and take the lock too.
 */
function createComplete(file: string, content: string): void {
  const own = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  let fd: number;
  try {
    fd = openSync(own, 'wx', 0o600);
  } catch (error) {
    // No folder for it: said of the lock file, not of this process's own file beside it.
    const { code } = error as NodeJS.ErrnoException;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    throw Object.assign(new Error(`${code}: no folder for the lock file ${file}`, { cause: error }), { code, path: file, syscall: 'open' });
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(own, file);
  } finally {
    unlinkSync(own);
  }
}

/** Why a lock could not be taken: another holder (or this process), or a lock that kept changing. */
interface Busy {
  busy: 'other' | 'self' | 'changing';
  message: string;
  holder?: LockHolder;
}

const BUSY_OPTIONS = {
  other: (holder?: LockHolder) => ({ hint: 'wait for it to finish, then try again', exit: 'busy', details: { holder } }),
  self: () => ({ exit: 'busy' }),
  changing: () => ({ exit: 'busy', hint: 'try again' }),
} as const satisfies Record<Busy['busy'], (holder?: LockHolder) => TwinboxErrorOptions>;

function busyError(found: Busy, options: FileLockOptions): Error {
  if (options.busy) return options.busy(found.holder);
  return new TwinboxError('busy', found.message, BUSY_OPTIONS[found.busy](found.holder));
}

/** One attempt (up to three tries around a stale lock): the lock, or who keeps it. */
function tryAcquire(file: string, operation: string, options: FileLockOptions): HeldLock | Busy {
  const what = options.what ?? file;
  if (options.createDir !== false) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const holder: LockHolder = { pid: process.pid, operation, since: new Date((options.now ?? Date.now)()).toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      createComplete(file, JSON.stringify(holder));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const state = readLockFile(file);
      // Released between our attempt and the read: simply try again. (Treating the vanished
      // file as stale and removing "it" would remove a lock another process takes meanwhile.)
      if (state.kind === 'missing') continue;
      const current = state.kind === 'held' ? state.holder : undefined;
      if (current && current.pid !== process.pid && processAlive(current.pid)) {
        return { busy: 'other', message: `${what} is busy: ${current.operation} by process ${current.pid} since ${current.since}`, holder: current };
      }
      if (current && current.pid === process.pid) {
        return { busy: 'self', message: `${what} is already locked by this process for ${current.operation}`, holder: current };
      }
      // The holder is gone (or the file is not a lock): stale. Removed only if it is still the
      // file just read, so a lock another process has taken over meanwhile is left alone.
      removeStale(file, state);
      continue;
    }
    let released = false;
    return {
      holder,
      release() {
        if (released) return;
        released = true;
        if (readHolder(file)?.pid === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      },
    };
  }
  return { busy: 'changing', message: `could not take the lock of ${what}` };
}

function isBusy(attempt: HeldLock | Busy): attempt is Busy {
  return 'busy' in attempt;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Takes a lock file for a mutation, across processes: an exclusively created file naming the
 * holder (pid, operation, since). Another live holder makes this fail with exit code 75
 * ("busy"), naming who holds it, at once or after waiting up to `waitMs` in short blocking
 * steps; a lock left by a dead process (kill -9, crash) or a file that is no lock is recovered.
 */
export function acquireFileLock(file: string, operation: string, options: FileLockOptions = {}): HeldLock {
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const attempt = tryAcquire(file, operation, options);
    if (!isBusy(attempt)) return attempt;
    if (Date.now() >= deadline) throw busyError(attempt, options);
    Atomics.wait(pause, 0, 0, options.pollMs ?? 20);
  }
}

/** `acquireFileLock` for async code: waits for a busy lock without blocking the event loop. */
export async function waitForFileLock(file: string, operation: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const attempt = tryAcquire(file, operation, options);
    if (!isBusy(attempt)) return attempt;
    if (Date.now() >= deadline) throw busyError(attempt, options);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
  }
}

/** Runs `body` while holding the lock file, released however it ends. */
export async function withFileLock<T>(file: string, operation: string, body: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lock = await waitForFileLock(file, operation, options);
  try {
    return await body();
  } finally {
    lock.release();
  }
}

/** The current holder, if any live process holds the lock. */
export function fileLockHolder(file: string): LockHolder | undefined {
  const holder = readHolder(file);
  return holder && processAlive(holder.pid) ? holder : undefined;
}
