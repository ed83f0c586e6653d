import { TwinboxError } from 'twinbox/plugin-api';
import type { Envelope } from './framing.js';

type Failure = Extract<Envelope, { ok: false }>;

export const RIGHTS_HINT = 'run twinbox as administrator, or add your user to "Hyper-V Administrators" (Add-LocalGroupMember -SID S-1-5-32-578 -Member <you>) and sign in again';

/** Error ids the plugin's own scripts raise (Write-Error -ErrorId …); PowerShell appends ",<command>". */
export function hasErrorId(failure: Failure, id: string): boolean {
  return failure.errorId === id || failure.errorId.startsWith(`${id},`);
}

export function isVmNotFound(failure: Failure): boolean {
  return hasErrorId(failure, 'TwinboxVmNotFound');
}

/** A failed command's envelope as the error users see; categories and ids, not English text, decide. */
export function toTwinboxError(failure: Failure, action: string): TwinboxError {
  const details = { category: failure.category, errorId: failure.errorId, message: failure.error };
  if (isVmNotFound(failure)) {
    return new TwinboxError('vm-not-found', `Hyper-V has no such VM: ${failure.error}`, {
      hint: 'the VM was deleted outside twinbox; remove it from twinbox or create it again',
      details,
    });
  }
  if (hasErrorId(failure, 'TwinboxSnapshotNotFound')) {
    return new TwinboxError('snapshot-not-found', failure.error, { hint: 'list the checkpoints to see their names', exit: 'usage', details });
  }
  if (hasErrorId(failure, 'TwinboxSnapshotExists')) {
    return new TwinboxError('snapshot-exists', failure.error, { hint: 'choose another name, or delete the old checkpoint first', exit: 'usage', details });
  }
  if (failure.category === 'PermissionDenied' || /required permission/i.test(failure.error)) {
    return new TwinboxError('permission-denied', `Hyper-V refused to ${action}: ${failure.error}`, { hint: RIGHTS_HINT, exit: 'denied', details });
  }
  return new TwinboxError('hyperv-failed', `Hyper-V could not ${action}: ${failure.error}`, {
    hint: 'the Hyper-V message says why; Hyper-V Manager and the Hyper-V-VMMS event log have more',
    details,
  });
}
