import { TwinboxError, type SnapshotInfo, type VmRef } from 'twinbox/plugin-api';
import type { VBoxContext } from './context.js';
import { parseMachineReadable } from './machine-readable.js';
import { checkSnapshotName, machineOf } from './names.js';
import { toTwinboxError } from './vbox-errors.js';

const SNAPSHOT_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * `snapshot list --machinereadable` names snapshots by their path in the tree:
 * `SnapshotName`, `SnapshotName-1`, `SnapshotName-1-1`…, in tree order. It has no times.
 */
export function parseSnapshotList(text: string): SnapshotInfo[] {
  const snapshots: SnapshotInfo[] = [];
  for (const [key, value] of parseMachineReadable(text)) {
    if (/^SnapshotName(?:-\d+)*$/.test(key)) snapshots.push({ name: value });
  }
  return snapshots;
}

export async function listSnapshots(ctx: VBoxContext, vm: VmRef): Promise<SnapshotInfo[]> {
  const args = ['snapshot', machineOf(vm), 'list', '--machinereadable'];
  const outcome = await ctx.driver.attempt(args);
  if (outcome.ok) return parseSnapshotList(outcome.stdout);
  // With no snapshots VBoxManage exits 1 with this sentence instead of printing nothing.
  if (/does not have any snapshots/i.test(outcome.failure.output)) return [];
  throw toTwinboxError(outcome.failure, args);
}

export async function createSnapshot(ctx: VBoxContext, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name);
  // VirtualBox accepts duplicate names, which would make restore and delete ambiguous.
  if ((await listSnapshots(ctx, vm)).some((snapshot) => snapshot.name === name)) {
    throw new TwinboxError('snapshot-exists', `${vm.id} already has a snapshot named "${name}"`, { hint: 'choose another name, or delete the old snapshot first', exit: 'usage' });
  }
  await ctx.driver.exec(['snapshot', machineOf(vm), 'take', name], { timeoutMs: SNAPSHOT_TIMEOUT_MS });
}

export async function restoreSnapshot(ctx: VBoxContext, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name);
  await ctx.driver.exec(['snapshot', machineOf(vm), 'restore', name], { timeoutMs: SNAPSHOT_TIMEOUT_MS });
}

export async function deleteSnapshot(ctx: VBoxContext, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name);
  await ctx.driver.exec(['snapshot', machineOf(vm), 'delete', name], { timeoutMs: SNAPSHOT_TIMEOUT_MS });
}
