import { isTwinboxError, TwinboxError, type Clock, type GuestAgentSession, type VmRef } from '../../plugin-api/index.js';
import { connectGuest } from '../apps/guest-session.js';
import { EventCodes } from '../events/codes.js';
import type { Workspace } from '../workspace/open-workspace.js';
import type { EventLog } from '../events/event-log.js';
import { checkShareFolders, describeMount, mountFailure, mountShares, readShareRecord, unmountShares, writeShareRecord, type FolderShare } from './folder-shares.js';

/** What mounting needs of a workspace: its name, its event log and its clock. */
export interface ShareContext {
  name: string;
  events: Pick<EventLog, 'event'>;
  clock: Pick<Clock, 'now'>;
}

/** The folders this VM exports (empty for one made without, or on a hypervisor without 9p). */
export async function exportedShares(vm: VmRef): Promise<FolderShare[]> {
  return (await readShareRecord(vm.vmDir))?.exported ?? [];
}

/** Refuses a start (exit 2, event 4012) while an exported folder is missing on the host; returns the exports. */
export async function refuseMissingShares(ws: ShareContext, vm: VmRef): Promise<FolderShare[]> {
  const shares = await exportedShares(vm);
  try {
    checkShareFolders(ws.name, shares);
  } catch (error) {
    if (isTwinboxError(error)) ws.events.event('error', EventCodes.sharedFolderMissing, `not started: ${error.message}`, error.details);
    throw error;
  }
  return shares;
}

/**
 * Mounts the VM's exports in its guest (each at most once: a resumed guest keeps its mounts)
 * and records the outcome for `status`. One the guest cannot mount is logged (event 4011) and
 * fails the start with the reason and the fix; the others stay mounted.
 */
export async function mountExportedShares(ws: ShareContext, vm: VmRef, session: GuestAgentSession, shares?: readonly FolderShare[]): Promise<void> {
  const record = await readShareRecord(vm.vmDir);
  const exported = shares ?? record?.exported ?? [];
  if (exported.length === 0) return;
  const mounts = await mountShares(session, exported);
  await writeShareRecord(vm.vmDir, { exported: record?.exported ?? [...exported], last: { at: new Date(ws.clock.now()).toISOString(), mounts } });
  const failed = mounts.filter((mount) => !mount.mounted);
  const done = mounts.filter((mount) => mount.mounted);
  if (done.length > 0) ws.events.event('info', EventCodes.sharedFoldersMounted, `shared folders mounted in the guest: ${done.map(describeMount).join(', ')}`, { tags: done.map((mount) => mount.tag) });
  if (failed.length === 0) return;
  const error = mountFailure(ws.name, failed);
  ws.events.event('error', EventCodes.sharedFolderMountFailed, `${error.message}; ${error.hint ?? ''}`.trim(), error.details);
  throw error;
}

/** After a start or resume: mounts the VM's exports over a session of its own (nothing to do for a VM without). */
export async function mountWorkspaceShares(ws: Workspace, vm: VmRef, agentTimeoutMs: number): Promise<void> {
  const shares = await exportedShares(vm);
  if (shares.length === 0) return;
  const { session } = await connectGuest(ws, agentTimeoutMs);
  try {
    await mountExportedShares(ws, vm, session, shares);
  } finally {
    await session.close().catch(() => undefined);
  }
}

/**
 * Before a suspend: unmounts the VM's exports in its running guest (QEMU cannot save a VM with
 * a 9p export mounted). One still in use refuses the suspend with the folder, the reason and
 * the way out; a VM without exports costs nothing.
 */
export async function unmountBeforeSuspend(ws: Workspace, vm: VmRef, state: string): Promise<void> {
  const shares = await exportedShares(vm);
  if (shares.length === 0 || state !== 'running') return;
  const { session } = await connectGuest(ws, 60_000);
  let busy;
  try {
    busy = await unmountShares(session, shares);
    // Refused: the ones already unmounted are mounted again, so the guest runs on as it was.
    if (busy.length > 0) await mountShares(session, shares);
  } finally {
    await session.close().catch(() => undefined);
  }
  if (busy.length === 0) return;
  throw new TwinboxError('shared-folder-busy', `workspace "${ws.name}" cannot be suspended: its guest could not unmount the shared folder ${busy.map((mount) => `${describeMount(mount)} (${mount.error})`).join('; ')}`, {
    hint: `close the guest programs using it and try again, or stop the workspace with \`twinbox stop ${ws.name}\``,
    details: { folders: busy.map(({ host, guest, tag }) => ({ host, guest, tag })) },
  });
}
