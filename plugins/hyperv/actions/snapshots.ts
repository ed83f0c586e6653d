import { checkSnapshotName, type SnapshotInfo, type VmRef } from 'twinbox/plugin-api';
import { vmIdOf } from '../driver/names.js';
import { asList, asRecord } from '../driver/values.js';
import type { HyperVContext } from '../provider.js';
import { createSnapshotScript, deleteSnapshotScript, listSnapshotsScript, restoreSnapshotScript } from '../scripts/snapshots.js';

const CHECKPOINT_TIMEOUT_MS = 30 * 60 * 1000;

export async function listSnapshots(ctx: HyperVContext, vm: VmRef): Promise<SnapshotInfo[]> {
  const value = await ctx.driver.invoke(listSnapshotsScript(vmIdOf(vm)), { action: 'list checkpoints' });
  return asList(value).map((item) => {
    const record = asRecord(item);
    const info: SnapshotInfo = { name: String(record.Name ?? '') };
    if (typeof record.CreationTime === 'string') info.createdAt = record.CreationTime;
    return info;
  });
}

export async function createSnapshot(ctx: HyperVContext, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name, 'checkpoint');
  await ctx.driver.invoke(createSnapshotScript(vmIdOf(vm), name), { action: 'create a checkpoint', timeoutMs: CHECKPOINT_TIMEOUT_MS });
}

export async function restoreSnapshot(ctx: HyperVContext, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name, 'checkpoint');
  await ctx.driver.invoke(restoreSnapshotScript(vmIdOf(vm), name), { action: 'restore a checkpoint', timeoutMs: CHECKPOINT_TIMEOUT_MS });
}

export async function deleteSnapshot(ctx: HyperVContext, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name, 'checkpoint');
  await ctx.driver.invoke(deleteSnapshotScript(vmIdOf(vm), name), { action: 'delete a checkpoint', timeoutMs: CHECKPOINT_TIMEOUT_MS });
}
