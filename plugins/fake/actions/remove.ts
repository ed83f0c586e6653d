import { readdir, rm, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { VmRef } from 'twinbox/plugin-api';
import { killGuest } from '../driver/guest-control.js';
import { withOperationLock } from '../driver/operation-lock.js';
import { VM_FILES } from '../driver/vm-record.js';
import { currentStatus } from '../driver/vm-status.js';
import type { FakeContext } from '../provider.js';

/** Only what the fake made in the folder goes: whatever else lives there (a base image?) stays. */
const OWN_ENTRIES = [VM_FILES.root, VM_FILES.snapshots, VM_FILES.console, `${VM_FILES.root}.restoring`, `${VM_FILES.root}.old`];
const OWN_TEMPORARIES = /^fake-vm\.json\..*\.tmp$/;

/** Removes the VM's files (under its lock), its index entry and its folder once empty. */
export async function remove(context: FakeContext, vm: VmRef): Promise<void> {
  const vmDir = resolve(vm.vmDir);
  const { record } = await currentStatus(vmDir);
  if (record) await withOperationLock(vm, () => removeVm(context, vm));
  await context.index.delete(vm.id, vmDir);
  await removeEmptyVmDir(vmDir);
}

/**
 * Powers the VM off if needed and deletes its own files; the record goes last so that an
 * interrupted remove still finds the VM next time. The caller holds the operation lock and
 * deletes the lock file and the folder itself afterwards.
 */
async function removeVm(context: FakeContext, vm: VmRef): Promise<void> {
  const vmDir = resolve(vm.vmDir);
  const { record } = await currentStatus(vmDir);
  if (record?.pid !== undefined) await killGuest(context, record.pid, vmDir, record.socketPath);
  if (record?.socketPath) await rm(record.socketPath, { force: true });
  for (const entry of OWN_ENTRIES) await rm(join(vmDir, entry), { recursive: true, force: true });
  let names: string[] = [];
  try {
    names = await readdir(vmDir);
  } catch {
    // The folder is already gone.
  }
  for (const name of names.filter((entry) => OWN_TEMPORARIES.test(entry))) await rm(join(vmDir, name), { force: true });
  await rm(join(vmDir, VM_FILES.record), { force: true });
  await rm(join(vmDir, VM_FILES.recordLock), { force: true });
}

/** The folder goes too once it is empty; a folder holding anything else is left alone. */
async function removeEmptyVmDir(vmDir: string): Promise<void> {
  try {
    await rmdir(vmDir);
  } catch {
    // Not empty, or already gone.
  }
}
