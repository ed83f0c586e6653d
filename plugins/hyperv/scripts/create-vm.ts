import { psInteger, psString } from '../driver/ps-literal.js';

export interface CreateVmScriptInput {
  name: string;
  /** Windows paths. */
  vmDir: string;
  diskPath: string;
  basePath: string;
  memoryBytes: number;
  cpus: number;
  network: 'nat' | 'bridged' | 'none';
  secureBoot: boolean;
  /** Named pipes for COM1, COM2. */
  comPorts: readonly string[];
}

// The built-in NAT switch ("Default Switch") has this fixed id on every Windows 10/11 host.
export const DEFAULT_SWITCH_ID = 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444';

function switchLookup(network: CreateVmScriptInput['network']): string {
  if (network === 'none') return '';
  if (network === 'nat') {
    return [
      `$switch = Hyper-V\\Get-VMSwitch -Id '${DEFAULT_SWITCH_ID}' -ErrorAction SilentlyContinue;`,
      "if (-not $switch) { Write-Error -Message 'Hyper-V has no Default Switch for NAT networking' -Category ObjectNotFound -ErrorId TwinboxNoSwitch };",
    ].join(' ');
  }
  return [
    '$switch = Hyper-V\\Get-VMSwitch -SwitchType External | Select-Object -First 1;',
    "if (-not $switch) { Write-Error -Message 'Hyper-V has no external virtual switch to bridge onto' -Category ObjectNotFound -ErrorId TwinboxNoSwitch };",
  ].join(' ');
}

/**
 * A Generation 2 VM on a differencing disk over the read-only base, with COM ports on named
 * pipes. Whatever was made is removed again when a step fails.
 */
export function createVmScript(input: CreateVmScriptInput): string {
  const comPorts = input.comPorts.map((pipe, index) => `Hyper-V\\Set-VMComPort -VM $vm -Number ${index + 1} -Path ${psString(pipe)};`);
  return [
    `$disk = ${psString(input.diskPath)};`,
    '$vm = $null;',
    switchLookup(input.network),
    'try {',
    `$null = Hyper-V\\New-VHD -Path $disk -ParentPath ${psString(input.basePath)} -Differencing;`,
    `$vm = Hyper-V\\New-VM -Name ${psString(input.name)} -Generation 2 -VHDPath $disk -MemoryStartupBytes ${psInteger(input.memoryBytes)} -Path ${psString(input.vmDir)}${input.network === 'none' ? '' : ' -SwitchName $switch.Name'};`,
    `Hyper-V\\Set-VMProcessor -VM $vm -Count ${psInteger(input.cpus)};`,
    input.secureBoot ? '' : 'Hyper-V\\Set-VMFirmware -VM $vm -EnableSecureBoot Off;',
    ...comPorts,
    // Windows 10 1709+ takes a checkpoint at every start unless told not to; those would
    // appear among the user's snapshots.
    "if ((Get-Command Hyper-V\\Set-VM).Parameters.ContainsKey('AutomaticCheckpointsEnabled')) { Hyper-V\\Set-VM -VM $vm -AutomaticCheckpointsEnabled $false };",
    '[pscustomobject]@{ Id = $vm.Id.ToString(); Name = $vm.Name }',
    '} catch {',
    'if ($vm) { Hyper-V\\Remove-VM -VM $vm -Force -ErrorAction SilentlyContinue };',
    'if (Test-Path -LiteralPath $disk) { Remove-Item -LiteralPath $disk -Force -ErrorAction SilentlyContinue };',
    'throw',
    '}',
  ]
    .filter((part) => part !== '')
    .join(' ');
}
