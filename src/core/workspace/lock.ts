import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { isTwinboxError, TwinboxError } from '../../plugin-api/index.js';

/** Who holds a workspace's lock: written into the lock file. */
export interface LockHolder {
  pid: number;
  /** What the holder is doing ("setup", "start"…). */
  operation: string;
  since: string;
}

/** True while a process of that id exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
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
    if (typeof holder.pid === 'number') return { kind: 'held', holder: holder as LockHolder, raw, ino: stat.ino };
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
  const fd = openSync(own, 'wx', 0o600);
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

export interface HeldLock {
  readonly holder: LockHolder;
  release(): void;
}

/**
 * Takes a workspace's lock for a mutation: an exclusively created file naming the holder.
 * Another live holder makes this fail at once with exit code 75 ("busy"), naming who holds
 * it; a lock left by a dead process (kill -9, crash) is recovered. Reads never lock.
 */
export function acquireLock(file: string, workspace: string, operation: string, now: () => number = Date.now): HeldLock {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const holder: LockHolder = { pid: process.pid, operation, since: new Date(now()).toISOString() };
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
        throw new TwinboxError('busy', `workspace "${workspace}" is busy: ${current.operation} by process ${current.pid} since ${current.since}`, {
          hint: 'wait for it to finish, then try again',
          exit: 'busy',
          details: { holder: current },
        });
      }
      if (current && current.pid === process.pid) {
        throw new TwinboxError('busy', `workspace "${workspace}" is already locked by this process for ${current.operation}`, { exit: 'busy' });
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
  throw new TwinboxError('busy', `could not take the lock of workspace "${workspace}"`, { exit: 'busy', hint: 'try again' });
}

/** The current holder, if any live process holds the lock. */
export function lockHolder(file: string): LockHolder | undefined {
  const holder = readHolder(file);
  return holder && processAlive(holder.pid) ? holder : undefined;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Takes a lock that is only ever held for a short read-modify-write, waiting for it in short
 * blocking steps up to `waitMs` (then the holder is named, as `acquireLock` does).
 */
export function acquireShortLock(file: string, owner: string, operation: string, waitMs = 10_000, pollMs = 20): HeldLock {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return acquireLock(file, owner, operation);
    } catch (error) {
      if (!isTwinboxError(error) || error.code !== 'busy' || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, pollMs);
    }
  }
}

export async function withLock<T>(file: string, workspace: string, operation: string, body: () => Promise<T>): Promise<T> {
  const lock = acquireLock(file, workspace, operation);
  try {
    return await body();
  } finally {
    lock.release();
  }
}
