import { lookupVm } from './vm.js';

/**
 * The VM's state and the addresses its network adapters report (through the guest's
 * integration services, once it has them), IPv4 and IPv6 alike.
 */
export function guestAddressesScript(vmId: string): string {
  return [
    lookupVm(vmId),
    '[pscustomobject]@{',
    'State = $vm.State.ToString();',
    'Addresses = @(Hyper-V\\Get-VMNetworkAdapter -VM $vm | ForEach-Object { $_.IPAddresses } | Where-Object { $_ } | ForEach-Object { [string]$_ })',
    '}',
  ].join(' ');
}
