import type { SnapshotInfo, VmRef } from 'twinbox/plugin-api';
import { qemuErrors } from '../driver/errors.js';
import { loadVm } from '../driver/load-vm.js';
import { QemuImg } from '../driver/qemu-img.js';
import { parseSnapshotList, type ListedSnapshot } from '../driver/snapshot-list.js';
import { SUSPEND_SNAPSHOT } from '../driver/suspend-snapshot.js';
import type { QemuVmConfig } from '../driver/vm-config.js';
import { inspectVm } from '../driver/vm-state.js';
import type { QemuDeps } from '../provider.js';
import { hmp, hmpSilent } from '../qmp/hmp.js';
import { withQmp } from '../qmp/qmp-connection.js';
import { discardSavedState } from './start.js';

const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;

/**
 * qemu-img and HMP look a snapshot up by id or by name, so an all-digit name could hit
 * another snapshot's id; a leading dash would read as an option.
 */
export function checkSnapshotName(name: string): void {
  const rule = '1–100 characters without slashes, double quotes or control characters, not all digits, not starting with "-"';
  if (!/^[^-\x00-\x1f\x7f"/\\][^\x00-\x1f\x7f"/\\]{0,99}$/.test(name) || /^\d+$/.test(name)) throw qemuErrors.invalidName('snapshot', name, rule);
  if (name === SUSPEND_SNAPSHOT) throw qemuErrors.invalidName('snapshot', name, `a name other than ${SUSPEND_SNAPSHOT} (it holds a suspended VM's memory)`);
}

/** HMP's argument syntax: a double-quoted string with backslash escapes. */
export function hmpQuote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

interface Target {
  config: QemuVmConfig;
  live: boolean;
}

async function target(deps: QemuDeps, vm: VmRef): Promise<Target> {
  const config = await loadVm(deps, vm);
  const { status, verdict } = await inspectVm(deps, config);
  const live = verdict.kind === 'ours';
  if (live && status.state !== 'running' && status.state !== 'paused') {
    throw qemuErrors.invalidState(vm.id, status.state, 'work with snapshots of', 'wait until it is running, paused or stopped');
  }
  return { config, live };
}

async function qemuImg(deps: QemuDeps): Promise<QemuImg> {
  return new QemuImg(deps.runner, await deps.detector.requireImg());
}

async function listAll(deps: QemuDeps, { config, live }: Target): Promise<ListedSnapshot[]> {
  if (live) {
    const output = await withQmp(config.paths.qmpSocket, (qmp) => hmp(qmp, 'info snapshots', 30_000));
    return parseSnapshotList(output);
  }
  return (await qemuImg(deps)).listSnapshots(config.paths.overlay);
}

export async function listSnapshots(deps: QemuDeps, vm: VmRef): Promise<SnapshotInfo[]> {
  const snapshots = await listAll(deps, await target(deps, vm));
  return snapshots
    .filter((snapshot) => snapshot.name !== SUSPEND_SNAPSHOT)
    .map(({ name, createdAt, sizeBytes }) => ({ name, ...(createdAt ? { createdAt } : {}), ...(sizeBytes !== undefined ? { sizeBytes } : {}) }));
}

async function existing(deps: QemuDeps, where: Target, name: string): Promise<ListedSnapshot | undefined> {
  return (await listAll(deps, where)).find((snapshot) => snapshot.name === name);
}

/** Running or paused: memory and disk (HMP savevm). Stopped: the disk only (qemu-img). */
export async function createSnapshot(deps: QemuDeps, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name);
  const where = await target(deps, vm);
  if (await existing(deps, where, name)) throw qemuErrors.snapshotExists(vm.id, name);
  if (where.live) {
    await liveCommand(where.config, `savevm ${hmpQuote(name)}`, 'take the snapshot');
    return;
  }
  await (await qemuImg(deps)).snapshot('-c', name, where.config.paths.overlay);
}

export async function restoreSnapshot(deps: QemuDeps, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name);
  const where = await target(deps, vm);
  const snapshot = await existing(deps, where, name);
  if (!snapshot) throw qemuErrors.snapshotNotFound(vm.id, name);
  if (where.live) {
    if (snapshot.vmStateBytes === 0) {
      throw qemuErrors.invalidState(vm.id, 'running', `restore the disk-only snapshot ${name} of`, 'stop the VM first: this snapshot holds no memory to load into a running VM');
    }
    try {
      await liveCommand(where.config, `loadvm ${hmpQuote(name)}`, 'restore the snapshot');
    } catch (error) {
      // A failed loadvm leaves the vCPUs stopped; the VM was running and should stay so.
      await withQmp(where.config.paths.qmpSocket, (qmp) => qmp.execute('cont')).catch(() => undefined);
      throw error;
    }
    return;
  }
  const tool = await qemuImg(deps);
  // Restoring the disk makes a saved suspend state meaningless.
  if (where.config.lifecycle === 'suspended') await discardSavedState(deps, await deps.detector.requireImg(), where.config);
  await tool.snapshot('-a', name, where.config.paths.overlay);
}

export async function deleteSnapshot(deps: QemuDeps, vm: VmRef, name: string): Promise<void> {
  checkSnapshotName(name);
  const where = await target(deps, vm);
  if (!(await existing(deps, where, name))) throw qemuErrors.snapshotNotFound(vm.id, name);
  if (where.live) {
    await liveCommand(where.config, `delvm ${hmpQuote(name)}`, 'delete the snapshot');
    return;
  }
  await (await qemuImg(deps)).snapshot('-d', name, where.config.paths.overlay);
}

async function liveCommand(config: QemuVmConfig, commandLine: string, action: string): Promise<void> {
  try {
    await withQmp(config.paths.qmpSocket, (qmp) => hmpSilent(qmp, commandLine, SNAPSHOT_TIMEOUT_MS));
  } catch (error) {
    throw qemuErrors.snapshotFailed(config.spec.id, action, error instanceof Error ? error.message : String(error));
  }
}
