import { psString } from '../driver/ps-literal.js';
import { lookupVm } from './vm.js';

export function listSnapshotsScript(vmId: string): string {
  return [
    lookupVm(vmId),
    ',@(Hyper-V\\Get-VMSnapshot -VM $vm | Sort-Object CreationTime | ForEach-Object {',
    "[pscustomobject]@{ Name = $_.Name; Id = $_.Id.ToString(); CreationTime = $_.CreationTime.ToUniversalTime().ToString('o'); SnapshotType = $_.SnapshotType.ToString() }",
    '})',
  ].join(' ');
}

// Get-VMSnapshot -Name takes wildcards; an exact comparison finds only the named checkpoint.
function findSnapshot(name: string): string {
  return [
    `$snapshots = @(Hyper-V\\Get-VMSnapshot -VM $vm | Where-Object { $_.Name -eq ${psString(name)} });`,
    "if ($snapshots.Count -eq 0) { Write-Error -Message 'no checkpoint has that name' -Category ObjectNotFound -ErrorId TwinboxSnapshotNotFound };",
  ].join(' ');
}

export function createSnapshotScript(vmId: string, name: string): string {
  return [
    lookupVm(vmId),
    // Hyper-V accepts duplicate names, which would make restore and delete ambiguous.
    `if (@(Hyper-V\\Get-VMSnapshot -VM $vm | Where-Object { $_.Name -eq ${psString(name)} }).Count -gt 0) { Write-Error -Message 'a checkpoint with that name exists' -Category ResourceExists -ErrorId TwinboxSnapshotExists };`,
    `Hyper-V\\Checkpoint-VM -VM $vm -SnapshotName ${psString(name)};`,
    '$null',
  ].join(' ');
}

export function restoreSnapshotScript(vmId: string, name: string): string {
  return [lookupVm(vmId), findSnapshot(name), 'Hyper-V\\Restore-VMSnapshot -VMSnapshot $snapshots[0] -Confirm:$false;', '$null'].join(' ');
}

export function deleteSnapshotScript(vmId: string, name: string): string {
  return [lookupVm(vmId), findSnapshot(name), 'Hyper-V\\Remove-VMSnapshot -VMSnapshot $snapshots[0] -Confirm:$false;', '$null'].join(' ');
}
