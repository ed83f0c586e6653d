import { resolve } from 'node:path';
import { withFileLock, type VmRef } from 'twinbox/plugin-api';
import { fakeErrors } from './errors.js';
import { vmFile } from './vm-record.js';

/** Long enough for a slow start or stop by another process to finish first. */
const OPERATION_LOCK_TIMEOUT_MS = 90_000;

/**
 * Serialises the actions that change a VM (start, stop, snapshots…) across processes; reading
 * its state never takes this lock, so `status` is never blocked by a slow start.
 */
export async function withOperationLock<T>(vm: VmRef, action: () => Promise<T>): Promise<T> {
  const lock = vmFile(resolve(vm.vmDir), 'operationLock');
  let locked = false;
  try {
    return await withFileLock(lock, 'VM operation', () => {
      locked = true;
      return action();
    }, { waitMs: OPERATION_LOCK_TIMEOUT_MS, pollMs: 10, createDir: false, busy: () => fakeErrors.vmBusy(vm.id) });
  } catch (error) {
    if (locked) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    // No folder to put the lock in: no VM either.
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fakeErrors.vmNotFound(vm.id);
    throw error;
  }
}
