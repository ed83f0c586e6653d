import { TwinboxError } from 'twinbox/plugin-api';
import type { Envelope } from './framing.js';

type Failure = Extract<Envelope, { ok: false }>;

export const RIGHTS_HINT = 'run twinbox as administrator, or add your user to "Hyper-V Administrators" (Add-LocalGroupMember -SID S-1-5-32-578 -Member <you>) and sign in again';

/** Error ids the plugin's own scripts raise (Write-Error -ErrorId …); PowerShell appends ",<command>". */
export function hasErrorId(failure: Failure, id: string): boolean {
  return failure.errorId === id || failure.errorId.startsWith(`${id},`);
}

/**
 * A Hyper-V cmdlet's FullyQualifiedErrorId, `<id>,Microsoft.HyperV.PowerShell.Commands.<Cmdlet>`
 * (e.g. `InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM`), split in two; ids,
 * cmdlet names and categories are the same in every Windows display language.
 */
export function hyperVErrorId(failure: Failure): { id: string; cmdlet: string } | undefined {
  const match = /^([^,]+),Microsoft\.HyperV\.PowerShell\.Commands\.([A-Za-z]+?)(?:Command)?$/.exec(failure.errorId);
  return match ? { id: match[1]!, cmdlet: match[2]! } : undefined;
}

/**
 * Cmdlets the plugin calls with `-VM $vm` (scripts/*.ts): their ObjectNotFound is the VM gone
 * between the lookup and the call (pluralsight/PS-AutoLab-Env#133: Set-VMFirmware on a VM that
 * is not there, "ObjectNotFound: (:) [Set-VMFirmware], VirtualizationException",
 * `ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.SetVMFirmware`).
 */
const VM_CMDLETS = new Set([
  'GetVM', 'StartVM', 'StopVM', 'SaveVM', 'SuspendVM', 'ResumeVM', 'RestartVM', 'RemoveVM', 'SetVM', 'SetVMProcessor', 'SetVMMemory',
  'SetVMFirmware', 'CheckpointVM', 'GetVMSnapshot', 'GetVMNetworkAdapter', 'GetVMHardDiskDrive', 'AddVMHardDiskDrive', 'ConnectVMNetworkAdapter',
]);

/**
 * The VM is gone: the plugin's own TwinboxVmNotFound (Get-TwinboxVm), or Hyper-V's own ids —
 * `Get-VM` answers an id or name it does not know with category InvalidArgument and
 * `InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM` (not ObjectNotFound:
 * pluralsight/PS-AutoLab-Env#133, "Get-VM : Hyper-V was unable to find a virtual machine with
 * name "N1"… InvalidArgument: (N1:String) [Get-VM], VirtualizationException"), the cmdlets
 * acting on a VM with ObjectNotFound. Never the message, which Windows translates.
 */
export function isVmNotFound(failure: Failure): boolean {
  if (hasErrorId(failure, 'TwinboxVmNotFound')) return true;
  const hyperV = hyperVErrorId(failure);
  if (!hyperV) return false;
  if (hyperV.cmdlet === 'GetVM' && hyperV.id === 'InvalidParameter' && failure.category === 'InvalidArgument') return true;
  return failure.category === 'ObjectNotFound' && VM_CMDLETS.has(hyperV.cmdlet);
}

/** Rights are missing: PowerShell's PermissionDenied category (Hyper-V's and the plugin's own TwinboxNoRights), or Hyper-V's AccessDenied id. */
export function isPermissionDenied(failure: Failure): boolean {
  return failure.category === 'PermissionDenied' || hasErrorId(failure, 'TwinboxNoRights') || hyperVErrorId(failure)?.id === 'AccessDenied';
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
  if (isPermissionDenied(failure)) {
    return new TwinboxError('permission-denied', `Hyper-V refused to ${action}: ${failure.error}`, { hint: RIGHTS_HINT, exit: 'denied', details });
  }
  return new TwinboxError('hyperv-failed', `Hyper-V could not ${action}: ${failure.error}`, {
    hint: 'the Hyper-V message says why; Hyper-V Manager and the Hyper-V-VMMS event log have more',
    details,
  });
}
