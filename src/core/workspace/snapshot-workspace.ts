import { TwinboxError, type SnapshotInfo } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { attachedVm, vmMissing, type AttachedVm } from './attached-vm.js';
import { withWorkspaceLock } from './workspace-lock.js';
import { openWorkspace, type Workspace } from './open-workspace.js';
import { crashPoint } from './crash-points.js';

/** A snapshot name every built-in hypervisor accepts: `snap-20261201-074501`. */
export function snapshotName(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `snap-${stamp}`;
}

/** Takes a snapshot of the workspace's VM under its lock, named by the time unless a name is given. */
export async function snapshotWorkspace(core: Core, name: string, snapshot?: string): Promise<{ workspace: string; snapshot: string }> {
  if (snapshot !== undefined) checkSnapshotName(snapshot);
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'snapshot', async () => {
    const target = await snapshotTarget(ws);
    const chosen = snapshot ?? snapshotName(ws.clock.now());
    await target.hypervisor.createSnapshot(target.vm, chosen);
    crashPoint('snapshot:taken');
    ws.events.write('info', 'vm', `took snapshot "${chosen}"`, { snapshot: chosen });
    return { workspace: name, snapshot: chosen };
  });
}

/** Names every built-in hypervisor keeps as given: letters, digits, `.`, `_`, `-`; not starting with `.` or `-`. */
const SNAPSHOT_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

export function checkSnapshotName(snapshot: string): void {
  if (!SNAPSHOT_NAME.test(snapshot)) {
    throw new TwinboxError('bad-snapshot-name', `${JSON.stringify(snapshot)} is not a snapshot name: use up to 64 letters, digits, ".", "_" or "-", not starting with "." or "-"`, {
      hint: 'for example `twinbox snapshot take NAME before-upgrade`',
      exit: 'usage',
    });
  }
}

/** The workspace's VM, on a hypervisor that has snapshots, with its state now. */
async function snapshotTarget(ws: Workspace) {
  const target = await attachedVm(ws);
  if (!target.hypervisor.capabilities().snapshots) {
    throw new TwinboxError('snapshots-unsupported', `the ${target.hypervisor.displayName} hypervisor cannot take snapshots`, { exit: 'usage' });
  }
  const before = await target.hypervisor.state(target.vm);
  if (before.state === 'not-created') throw vmMissing(ws, before.reason);
  return { ...target, before };
}

/** Refuses a snapshot the VM does not have (deleted meanwhile, mistyped), naming those it has. */
async function requireSnapshot(target: AttachedVm, workspace: string, snapshot: string): Promise<void> {
  const known = await target.hypervisor.listSnapshots(target.vm);
  if (known.some((entry) => entry.name === snapshot)) return;
  throw new TwinboxError('snapshot-not-found', `workspace "${workspace}" has no snapshot "${snapshot}"`, {
    hint: known.length > 0 ? `its snapshots: ${known.map((entry) => entry.name).join(', ')} (\`twinbox snapshot list ${workspace}\`)` : `it has none; take one with \`twinbox snapshot take ${workspace}\``,
    exit: 'usage',
  });
}

/** The workspace VM's snapshots, oldest first as the hypervisor lists them. Reads only: no lock. */
export async function listWorkspaceSnapshots(core: Core, name: string): Promise<{ workspace: string; snapshots: SnapshotInfo[] }> {
  const ws = openWorkspace(core, name);
  const target = await snapshotTarget(ws);
  return { workspace: name, snapshots: await target.hypervisor.listSnapshots(target.vm) };
}

export interface RestoreResult {
  workspace: string;
  snapshot: string;
  /** The state the VM was in before: a running or paused VM is stopped first (its unsaved work is lost). */
  was: string;
  state: string;
}

/**
 * Restores a snapshot under the workspace's lock. The snapshot is looked up first, so a name
 * that is gone changes nothing; a VM that runs is shut down (gracefully, then forced after
 * `stopTimeoutMs`) because hypervisors restore a disk only while its guest is off. The VM is
 * left stopped.
 */
export async function restoreWorkspaceSnapshot(core: Core, name: string, snapshot: string, options: { stopTimeoutMs?: number } = {}): Promise<RestoreResult> {
  checkSnapshotName(snapshot);
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'snapshot restore', async () => {
    const target = await snapshotTarget(ws);
    await requireSnapshot(target, name, snapshot);
    const was = target.before.state;
    if (['running', 'paused', 'starting'].includes(was)) {
      ws.events.write('info', 'vm', `stopping the VM to restore snapshot "${snapshot}"`, { snapshot });
      await target.hypervisor.stop(target.vm, { timeoutMs: options.stopTimeoutMs ?? 60_000 });
      crashPoint('snapshot:restore-stopped');
    }
    await target.hypervisor.restoreSnapshot(target.vm, snapshot);
    crashPoint('snapshot:restored');
    ws.events.write('info', 'vm', `restored snapshot "${snapshot}" (the VM was ${was})`, { snapshot, was });
    const after = await target.hypervisor.state(target.vm);
    return { workspace: name, snapshot, was, state: after.state };
  });
}

/** Deletes a snapshot under the workspace's lock; a name that is gone is an error that changes nothing. */
export async function deleteWorkspaceSnapshot(core: Core, name: string, snapshot: string): Promise<{ workspace: string; snapshot: string; left: string[] }> {
  checkSnapshotName(snapshot);
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'snapshot delete', async () => {
    const target = await snapshotTarget(ws);
    await requireSnapshot(target, name, snapshot);
    await target.hypervisor.deleteSnapshot(target.vm, snapshot);
    crashPoint('snapshot:deleted');
    ws.events.write('info', 'vm', `deleted snapshot "${snapshot}"`, { snapshot });
    const left = await target.hypervisor.listSnapshots(target.vm);
    return { workspace: name, snapshot, left: left.map((entry) => entry.name) };
  });
}
