import type { VmState, VmStatus } from 'twinbox/plugin-api';

interface Mapping {
  state: VmState;
  reason: string;
}

/**
 * VirtualBox's machine states (`VMState` in `showvminfo --machinereadable`) onto the shared
 * vocabulary. Transient states that only happen while VirtualBox works on a VM map to what
 * the guest is doing meanwhile.
 */
export const VBOX_STATES: Readonly<Record<string, Mapping>> = {
  poweroff: { state: 'stopped', reason: 'powered off' },
  saved: { state: 'suspended', reason: 'suspended: its memory is saved to disk' },
  teleported: { state: 'stopped', reason: 'stopped: it was moved to another host (teleported)' },
  aborted: { state: 'crashed', reason: 'the VM process ended unexpectedly (VirtualBox state "aborted")' },
  'aborted-saved': { state: 'crashed', reason: 'the VM process ended unexpectedly; a saved state remains (VirtualBox state "aborted-saved")' },
  running: { state: 'running', reason: 'running' },
  paused: { state: 'paused', reason: 'paused' },
  gurumeditation: { state: 'crashed', reason: 'guru meditation: the virtual machine hit a fatal error and is halted' },
  starting: { state: 'starting', reason: 'starting' },
  restoring: { state: 'starting', reason: 'starting: restoring its saved memory' },
  stopping: { state: 'stopping', reason: 'stopping' },
  saving: { state: 'suspending', reason: 'suspending: saving its memory to disk' },
  livesnapshotting: { state: 'running', reason: 'running, taking a snapshot' },
  onlinesnapshotting: { state: 'running', reason: 'running, taking a snapshot' },
  deletingsnapshotlive: { state: 'running', reason: 'running, deleting a snapshot' },
  deletingsnapshotlivepaused: { state: 'paused', reason: 'paused, deleting a snapshot' },
  teleporting: { state: 'running', reason: 'running, being moved to another host' },
  teleportingpausedvm: { state: 'paused', reason: 'paused, being moved to another host' },
  teleportingin: { state: 'starting', reason: 'starting: arriving from another host' },
  settingup: { state: 'stopped', reason: 'stopped: VirtualBox is setting it up' },
  snapshotting: { state: 'stopped', reason: 'stopped, taking a snapshot' },
  restoringsnapshot: { state: 'stopped', reason: 'stopped, restoring a snapshot' },
  deletingsnapshot: { state: 'stopped', reason: 'stopped, deleting a snapshot' },
  unknown: { state: 'unknown', reason: 'VirtualBox reports the state as unknown' },
};

export const NOT_CREATED: VmStatus = { state: 'not-created', reason: 'VirtualBox has no such VM (VBOX_E_OBJECT_NOT_FOUND)' };

function since(timestamp: string | undefined): string {
  // "2026-11-23T10:00:00.000000000" is UTC with nanoseconds.
  const match = timestamp ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/.exec(timestamp) : null;
  return match ? ` since ${match[1]}Z` : '';
}

/** The status of a VM from its `showvminfo --machinereadable` values. */
export function statusFromInfo(info: ReadonlyMap<string, string>): VmStatus {
  const raw = info.get('VMState');
  const mapping = raw === undefined ? undefined : VBOX_STATES[raw];
  const memoryMiB = Number(info.get('memory'));
  const memoryBytes = Number.isFinite(memoryMiB) && memoryMiB > 0 ? memoryMiB * 1024 * 1024 : undefined;
  if (!mapping || raw === 'unknown') {
    const shown = raw === undefined ? 'no VMState line' : `VMState "${raw}"`;
    return { state: 'unknown', reason: `VirtualBox answered ${shown}, which twinbox does not know`, memoryBytes };
  }
  let reason = `${mapping.reason}${since(info.get('VMStateChangeTime'))}`;
  const logFolder = info.get('LogFldr');
  if (mapping.state === 'crashed' && logFolder) reason += `; see VBox.log in ${logFolder}`;
  return { state: mapping.state, reason, memoryBytes };
}
