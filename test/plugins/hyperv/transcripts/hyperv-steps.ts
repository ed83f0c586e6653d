import type { ShellStep, SpawnStep, TranscriptStep } from '../../../../src/testing/transcript-runner.js';
import * as out from './powershell-output.js';

export const PS_EXE = 'C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
export const PS_ARGS = ['-NoProfile', '-NonInteractive', '-NoExit', '-Command', '-'] as const;
export const DEMO_VM_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

/** A PowerShell single-quoted literal, written out independently of the plugin's quoting. */
export function q(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export interface HyperVFixture {
  exe: string;
  id: string;
  vmId: string;
}

export const DEMO: HyperVFixture = { exe: PS_EXE, id: 'demo', vmId: DEMO_VM_ID };

/**
 * Step builders: each names the exact script the plugin must run (the whole script inside
 * the framing, so a changed cmdlet, parameter or quote fails) and PowerShell's answer.
 */
export class HyperVSteps {
  constructor(readonly fixture: HyperVFixture = DEMO) {}

  get name(): string {
    return `twinbox-${this.fixture.id}`;
  }

  get lookup(): string {
    return `$vm = Get-TwinboxVm -Id ${q(this.fixture.vmId)};`;
  }

  spawn(): SpawnStep {
    return { spawn: [this.fixture.exe, ...PS_ARGS] };
  }

  init(version = '5.1.22621.4391'): ShellStep {
    return { shell: '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false;', stdout: out.okOutput(version), note: 'host init' };
  }

  /** A host starting: the process, then its preparation. */
  boot(): TranscriptStep[] {
    return [this.spawn(), this.init()];
  }

  script(script: string, stdout: string, extra: Partial<ShellStep> = {}): ShellStep {
    return { shell: `$twinboxResult = & { ${script} };`, stdout, ...extra };
  }

  ok(script: string, value: unknown = null): ShellStep {
    return this.script(script, out.okOutput(value));
  }

  fail(script: string, error: string, category: string, errorId: string): ShellStep {
    return this.script(script, out.errorOutput(error, category, errorId));
  }

  vmInfoScript(): string {
    return `${this.lookup} [pscustomobject]@{ Id = $vm.Id.ToString(); Name = $vm.Name; State = $vm.State.ToString(); Status = [string]$vm.Status; Uptime = [int64]$vm.Uptime.TotalSeconds; CPUUsage = $vm.CPUUsage; MemoryAssigned = $vm.MemoryAssigned; ProcessId = $(if (@('Off', 'Saved') -notcontains $vm.State.ToString()) { (Get-CimInstance -ClassName Win32_Process -Filter "Name = 'vmwp.exe'" | Where-Object { $_.CommandLine -like ('*' + $vm.Id.ToString() + '*') } | Select-Object -First 1).ProcessId } else { $null }) }`;
  }

  vmInfo(state: string | number, extra: Partial<out.VmObject> = {}): ShellStep {
    return { ...this.ok(this.vmInfoScript(), out.vmObject({ Id: this.fixture.vmId, Name: this.name, State: state, ...extra })), note: `State=${state}` };
  }

  vmGone(options: { german?: boolean } = {}): ShellStep {
    return { ...this.fail(this.vmInfoScript(), out.vmNotFoundMessage(this.fixture.vmId, options.german), 'ObjectNotFound', 'TwinboxVmNotFound,Get-TwinboxVm'), note: 'VM gone' };
  }

  guestAddressesScript(): string {
    return `${this.lookup} [pscustomobject]@{ State = $vm.State.ToString(); Addresses = @(Hyper-V\\Get-VMNetworkAdapter -VM $vm | ForEach-Object { $_.IPAddresses } | Where-Object { $_ } | ForEach-Object { [string]$_ }) }`;
  }

  /** The VM's state and what its adapters' IPAddresses hold (`value` as PowerShell serialised it). */
  guestAddresses(state: string, addresses: unknown): ShellStep {
    return { ...this.ok(this.guestAddressesScript(), { State: state, Addresses: addresses }), note: `State=${state}` };
  }

  guestAddressesGone(): ShellStep {
    return { ...this.fail(this.guestAddressesScript(), out.vmNotFoundMessage(this.fixture.vmId), 'ObjectNotFound', 'TwinboxVmNotFound,Get-TwinboxVm'), note: 'VM gone' };
  }

  power(command: string, answer?: { error: string; category: string; errorId: string }): ShellStep {
    const script = `${this.lookup} ${command} $null`;
    return answer ? this.fail(script, answer.error, answer.category, answer.errorId) : this.ok(script);
  }

  start(): ShellStep {
    return this.power('Hyper-V\\Start-VM -VM $vm;');
  }

  shutdown(): ShellStep {
    return this.power('Hyper-V\\Stop-VM -VM $vm -Force -AsJob | Out-Null;');
  }

  turnOff(): ShellStep {
    return this.power('Hyper-V\\Stop-VM -VM $vm -TurnOff -Force;');
  }

  listSnapshots(names: readonly string[]): ShellStep {
    const script = `${this.lookup} ,@(Hyper-V\\Get-VMSnapshot -VM $vm | Sort-Object CreationTime | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Id = $_.Id.ToString(); CreationTime = $_.CreationTime.ToUniversalTime().ToString('o'); SnapshotType = $_.SnapshotType.ToString() } })`;
    const value = names.map((name, index) => ({
      Name: name,
      Id: `0b5e7a1c-2d3e-4f50-9a6b-7c8d9e0f1a2${index}`,
      CreationTime: `2026-11-23T10:0${index}:00.0000000Z`,
      SnapshotType: 'Standard',
    }));
    return this.ok(script, value);
  }

  createSnapshot(name: string): ShellStep {
    return this.ok(
      `${this.lookup} if (@(Hyper-V\\Get-VMSnapshot -VM $vm | Where-Object { $_.Name -eq ${q(name)} }).Count -gt 0) { Write-Error -Message 'a checkpoint with that name exists' -Category ResourceExists -ErrorId TwinboxSnapshotExists }; Hyper-V\\Checkpoint-VM -VM $vm -SnapshotName ${q(name)}; $null`,
    );
  }

  private findSnapshot(name: string): string {
    return `$snapshots = @(Hyper-V\\Get-VMSnapshot -VM $vm | Where-Object { $_.Name -eq ${q(name)} }); if ($snapshots.Count -eq 0) { Write-Error -Message 'no checkpoint has that name' -Category ObjectNotFound -ErrorId TwinboxSnapshotNotFound };`;
  }

  restoreSnapshotScript(name: string): string {
    return `${this.lookup} ${this.findSnapshot(name)} Hyper-V\\Restore-VMSnapshot -VMSnapshot $snapshots[0] -Confirm:$false; $null`;
  }

  deleteSnapshotScript(name: string): string {
    return `${this.lookup} ${this.findSnapshot(name)} Hyper-V\\Remove-VMSnapshot -VMSnapshot $snapshots[0] -Confirm:$false; $null`;
  }

  removeScript(): string {
    return `${this.lookup} if (@('Off', 'Saved') -notcontains $vm.State.ToString()) { Hyper-V\\Stop-VM -VM $vm -TurnOff -Force }; $disks = @(Hyper-V\\Get-VMHardDiskDrive -VM $vm | ForEach-Object { $_.Path }); Hyper-V\\Remove-VM -VM $vm -Force; ,$disks`;
  }

  deleteFiles(disks: readonly string[], vmDir: string, base: string): ShellStep {
    const machineDir = `${vmDir}\\${this.name}`;
    return this.ok(
      `$base = ${q(base)}; foreach ($path in @(${disks.map(q).join(', ')})) { if ($path -ne $base -and (Test-Path -LiteralPath $path)) { Remove-Item -LiteralPath $path -Force } }; Get-ChildItem -LiteralPath ${q(vmDir)} -Filter '*.avhdx' -ErrorAction SilentlyContinue | Where-Object { $_.FullName -ne $base } | Remove-Item -Force; if (Test-Path -LiteralPath ${q(machineDir)}) { Remove-Item -LiteralPath ${q(machineDir)} -Recurse -Force }; $null`,
    );
  }
}

export const DETECT_SCRIPT_TEXT =
  "$module = Get-Module -ListAvailable -Name Hyper-V | Sort-Object Version -Descending | Select-Object -First 1; $service = Get-Service -Name vmms -ErrorAction SilentlyContinue; $identity = [Security.Principal.WindowsIdentity]::GetCurrent(); $principal = New-Object Security.Principal.WindowsPrincipal($identity); [pscustomobject]@{ PSVersion = $PSVersionTable.PSVersion.ToString(); PSEdition = [string]$PSVersionTable.PSEdition; ModuleVersion = $(if ($module) { $module.Version.ToString() } else { $null }); VmmsStatus = $(if ($service) { $service.Status.ToString() } else { $null }); IsAdmin = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator); IsHyperVAdmin = $principal.IsInRole([Security.Principal.SecurityIdentifier]'S-1-5-32-578'); User = $identity.Name }";

export interface HostFacts {
  PSVersion?: string;
  PSEdition?: string;
  ModuleVersion?: string | null;
  VmmsStatus?: string | null;
  IsAdmin?: boolean;
  IsHyperVAdmin?: boolean;
  User?: string;
}

export function hostFacts(facts: HostFacts = {}): HostFacts {
  return { PSVersion: '5.1.22621.4391', PSEdition: 'Desktop', ModuleVersion: '2.0.0.0', VmmsStatus: 'Running', IsAdmin: false, IsHyperVAdmin: true, User: `${out.COMPUTER}\\ada`, ...facts };
}

export interface CreateScriptFacts {
  /** Windows paths of the VM's differencing disk, the base, and the VM folder. */
  disk: string;
  base: string;
  vmDir: string;
  name: string;
  pipe: string;
  memoryBytes: number;
  cpus: number;
}

/** The script `create` runs for a NAT VM with one COM port. */
export function createVmScript(facts: CreateScriptFacts): string {
  return [
    `$disk = ${q(facts.disk)}; $vm = $null;`,
    "$switch = Hyper-V\\Get-VMSwitch -Id 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444' -ErrorAction SilentlyContinue; if (-not $switch) { Write-Error -Message 'Hyper-V has no Default Switch for NAT networking' -Category ObjectNotFound -ErrorId TwinboxNoSwitch };",
    'try {',
    `$null = Hyper-V\\New-VHD -Path $disk -ParentPath ${q(facts.base)} -Differencing;`,
    `$vm = Hyper-V\\New-VM -Name ${q(facts.name)} -Generation 2 -VHDPath $disk -MemoryStartupBytes ${facts.memoryBytes} -Path ${q(facts.vmDir)} -SwitchName $switch.Name;`,
    `Hyper-V\\Set-VMProcessor -VM $vm -Count ${facts.cpus};`,
    'Hyper-V\\Set-VMFirmware -VM $vm -EnableSecureBoot Off;',
    `Hyper-V\\Set-VMComPort -VM $vm -Number 1 -Path ${q(facts.pipe)};`,
    "if ((Get-Command Hyper-V\\Set-VM).Parameters.ContainsKey('AutomaticCheckpointsEnabled')) { Hyper-V\\Set-VM -VM $vm -AutomaticCheckpointsEnabled $false };",
    '[pscustomobject]@{ Id = $vm.Id.ToString(); Name = $vm.Name }',
    '} catch {',
    'if ($vm) { Hyper-V\\Remove-VM -VM $vm -Force -ErrorAction SilentlyContinue };',
    'if (Test-Path -LiteralPath $disk) { Remove-Item -LiteralPath $disk -Force -ErrorAction SilentlyContinue };',
    'throw }',
  ].join(' ');
}

/** The script `importImage` runs for a VHDX: copied into place as the read-only base. */
export function importCopyScript(source: string, base: string): string {
  return [
    `$source = ${q(source)}; $target = ${q(base)};`,
    "if (Test-Path -LiteralPath $target) { Write-Error -Message 'the target file exists' -Category ResourceExists -ErrorId TwinboxImageExists };",
    'try { Copy-Item -LiteralPath $source -Destination $target; $vhd = Hyper-V\\Get-VHD -Path $target;',
    "if ($vhd.VhdType.ToString() -eq 'Differencing') { Write-Error -Message 'a differencing disk cannot be a base image' -Category InvalidData -ErrorId TwinboxDifferencingBase };",
    'Set-ItemProperty -LiteralPath $target -Name IsReadOnly -Value $true;',
    '[pscustomobject]@{ Path = $vhd.Path; VhdFormat = $vhd.VhdFormat.ToString(); VhdType = $vhd.VhdType.ToString(); FileSize = $vhd.FileSize; Size = $vhd.Size }',
    '} catch { if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Force -ErrorAction SilentlyContinue }; throw }',
  ].join(' ');
}
