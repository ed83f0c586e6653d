import { checkSnapshotName, TwinboxError, type SnapshotInfo, type VmRef } from 'twinbox/plugin-api';
import { reportsError, toTwinboxError, type VBoxFailure } from '../driver/errors.js';
import { parseMachineReadable } from '../driver/machine-readable.js';
import { machineOf } from '../driver/names.js';
import type { VBoxContext } from '../provider.js';

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

/**
 * With no snapshots `snapshot list` exits 1 and prints one (translated) sentence on stdout,
 * "This machine does not have any snapshots", with no `VBoxManage: error:` block: Packer's
 * VirtualBox driver compares its stdout to that sentence (hashicorp/packer-plugin-virtualbox,
 * builder/virtualbox/common/driver_4_2.go, LoadSnapshots). A real failure (no such VM, no
 * rights) comes as an error block with a status code. So: exit 1, no status code, no error
 * line — whatever the language of the sentence.
 */
export function isNoSnapshots(failure: VBoxFailure): boolean {
  return failure.exitCode === 1 && failure.code === undefined && !reportsError(failure.output) && parseSnapshotList(failure.output).length === 0;
}

export async function listSnapshots(ctx: VBoxContext, vm: VmRef): Promise<SnapshotInfo[]> {
  const args = ['snapshot', machineOf(vm), 'list', '--machinereadable'];
  const outcome = await ctx.driver.attempt(args);
  if (outcome.ok) return parseSnapshotList(outcome.stdout);
  if (isNoSnapshots(outcome.failure)) return [];
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
