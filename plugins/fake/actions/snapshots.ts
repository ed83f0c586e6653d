import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SnapshotInfo, VmRef } from 'twinbox/plugin-api';
import { fakeErrors } from '../driver/errors.js';
import { checkSnapshotName } from '../driver/names.js';
import { withOperationLock } from '../driver/operation-lock.js';
import { VM_FILES, vmFile, type FakeVmRecord } from '../driver/vm-record.js';
import { currentStatus } from '../driver/vm-status.js';
import { readRecord, updateRecord } from '../driver/vm-store.js';
import type { FakeContext } from '../provider.js';

/** A snapshot of the fake is a copy of the guest filesystem, taken or put back whole. */
function snapshotRoot(vmDir: string, name: string): string {
  return join(vmFile(vmDir, 'snapshots'), name, VM_FILES.root);
}

async function copyTree(from: string, to: string): Promise<void> {
  // Links are guest paths: copy them as they are, never rewritten to host paths.
  await cp(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, errorOnExist: true, force: false });
}

async function requireRecord(vm: VmRef): Promise<FakeVmRecord> {
  const record = await readRecord(resolve(vm.vmDir));
  if (!record) throw fakeErrors.vmNotFound(vm.id);
  return record;
}

export async function listSnapshots(_context: FakeContext, vm: VmRef): Promise<SnapshotInfo[]> {
  const record = await requireRecord(vm);
  return record.snapshots.map((snapshot) => ({ name: snapshot.name, createdAt: snapshot.createdAt }));
}

export function createSnapshot(context: FakeContext, vm: VmRef, name: string): Promise<void> {
  return withOperationLock(vm, () => takeSnapshot(vm, name, context.clock.now()));
}

async function takeSnapshot(vm: VmRef, name: string, now: number): Promise<void> {
  checkSnapshotName(name);
  const vmDir = resolve(vm.vmDir);
  const record = await requireRecord(vm);
  if (record.snapshots.some((snapshot) => snapshot.name === name)) throw fakeErrors.snapshotExists(vm.id, name);
  const target = snapshotRoot(vmDir, name);
  // Leftovers of a snapshot whose recording failed.
  await rm(join(target, '..'), { recursive: true, force: true });
  await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
  await copyTree(vmFile(vmDir, 'root'), target);
  await updateRecord(vmDir, (current) => {
    current.snapshots = current.snapshots.filter((snapshot) => snapshot.name !== name);
    current.snapshots.push({ name, createdAt: new Date(now).toISOString() });
  });
}

/** Only while the guest is off: a running guest would not notice its disk changing. */
export function restoreSnapshot(_context: FakeContext, vm: VmRef, name: string): Promise<void> {
  return withOperationLock(vm, () => restore(vm, name));
}

async function restore(vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name);
  const vmDir = resolve(vm.vmDir);
  const { record, status } = await currentStatus(vmDir);
  if (!record) throw fakeErrors.vmNotFound(vm.id);
  if (!record.snapshots.some((snapshot) => snapshot.name === name)) throw fakeErrors.snapshotNotFound(vm.id, name);
  if (!['stopped', 'crashed', 'suspended'].includes(status.state)) throw fakeErrors.vmRunning(vm.id, status.state, 'restore a snapshot');
  const root = vmFile(vmDir, 'root');
  const incoming = `${root}.restoring`;
  const outgoing = `${root}.old`;
  await rm(incoming, { recursive: true, force: true });
  await rm(outgoing, { recursive: true, force: true });
  await copyTree(snapshotRoot(vmDir, name), incoming);
  await rename(root, outgoing);
  await rename(incoming, root);
  await rm(outgoing, { recursive: true, force: true });
  await updateRecord(vmDir, (current) => {
    // Saved memory does not match the restored disk any more.
    if (current.state === 'suspended') current.state = 'stopped';
    delete current.savedState;
    current.reason = `snapshot ${name} restored`;
  });
}

export function deleteSnapshot(_context: FakeContext, vm: VmRef, name: string): Promise<void> {
  return withOperationLock(vm, () => drop(vm, name));
}

async function drop(vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name);
  const vmDir = resolve(vm.vmDir);
  const record = await requireRecord(vm);
  if (!record.snapshots.some((snapshot) => snapshot.name === name)) throw fakeErrors.snapshotNotFound(vm.id, name);
  await rm(join(vmFile(vmDir, 'snapshots'), name), { recursive: true, force: true });
  await updateRecord(vmDir, (current) => {
    current.snapshots = current.snapshots.filter((snapshot) => snapshot.name !== name);
  });
}
