import { lookupVm } from './vm.js';

/** The VM's state and figures; the state enum as its name (Windows PowerShell would print a number). */
export function vmInfoScript(vmId: string): string {
  return [
    lookupVm(vmId),
    '[pscustomobject]@{',
    'Id = $vm.Id.ToString();',
    'Name = $vm.Name;',
    'State = $vm.State.ToString();',
    'Status = [string]$vm.Status;',
    'Uptime = [int64]$vm.Uptime.TotalSeconds;',
    'CPUUsage = $vm.CPUUsage;',
    'MemoryAssigned = $vm.MemoryAssigned;',
    // The VM's worker process is started with the VM's GUID on its command line.
    "ProcessId = $(if (@('Off', 'Saved') -notcontains $vm.State.ToString()) { (Get-CimInstance -ClassName Win32_Process -Filter \"Name = 'vmwp.exe'\" | Where-Object { $_.CommandLine -like ('*' + $vm.Id.ToString() + '*') } | Select-Object -First 1).ProcessId } else { $null })",
    '}',
  ].join(' ');
}
