import { acquireFileLock, fileLockHolder, type HeldLock, type LockHolder } from '../../plugin-api/index.js';

export type { HeldLock, LockHolder };

/**
 * Takes a workspace's lock for a mutation (plugin-api's file lock, in the workspace's words):
 * another live holder makes this fail at once with exit code 75 ("busy"), naming who holds it;
 * a lock left by a dead process (kill -9, crash) is recovered. Reads never lock.
 */
export function acquireLock(file: string, workspace: string, operation: string, now: () => number = Date.now): HeldLock {
  return acquireFileLock(file, operation, { what: `workspace "${workspace}"`, now });
}

/** The current holder, if any live process holds the workspace's lock. */
export function lockHolder(file: string): LockHolder | undefined {
  return fileLockHolder(file);
}

export async function withLock<T>(file: string, workspace: string, operation: string, body: () => Promise<T>): Promise<T> {
  const lock = acquireLock(file, workspace, operation);
  try {
    return await body();
  } finally {
    lock.release();
  }
}
