import { psString } from '../driver/ps-literal.js';
import { lookupVm } from './vm.js';

/** Turns the VM off if it runs, removes it and returns the disks it used. */
export function removeVmScript(vmId: string): string {
  return [
    lookupVm(vmId),
    "if (@('Off', 'Saved') -notcontains $vm.State.ToString()) { Hyper-V\\Stop-VM -VM $vm -TurnOff -Force };",
    '$disks = @(Hyper-V\\Get-VMHardDiskDrive -VM $vm | ForEach-Object { $_.Path });',
    'Hyper-V\\Remove-VM -VM $vm -Force;',
    ',$disks',
  ].join(' ');
}

/**
 * Deletes the VM's own files: its differencing disk, any checkpoint disks (.avhdx) in its
 * folder, and the folder New-VM made for its configuration. Never the base, which other VMs
 * share.
 */
export function deleteFilesScript(disks: readonly string[], vmDir: string, machineDir: string, basePath: string): string {
  const list = disks.length > 0 ? disks.map(psString).join(', ') : '';
  return [
    `$base = ${psString(basePath)};`,
    `foreach ($path in @(${list})) { if ($path -ne $base -and (Test-Path -LiteralPath $path)) { Remove-Item -LiteralPath $path -Force } };`,
    `Get-ChildItem -LiteralPath ${psString(vmDir)} -Filter '*.avhdx' -ErrorAction SilentlyContinue | Where-Object { $_.FullName -ne $base } | Remove-Item -Force;`,
    `if (Test-Path -LiteralPath ${psString(machineDir)}) { Remove-Item -LiteralPath ${psString(machineDir)} -Recurse -Force };`,
    '$null',
  ].join(' ');
}
