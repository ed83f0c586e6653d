import { win32 } from 'node:path';
import type { ImportImageRequest, VmRef, VmSpec } from 'twinbox/plugin-api';
import type { TranscriptStep } from '../../../../src/testing/transcript-runner.js';
import { DETECT_SCRIPT_TEXT, hostFacts, HyperVSteps, q, type HyperVFixture, DEMO } from './hyperv-steps.js';

export interface HyperVLifecycle {
  steps: TranscriptStep[];
  importRequest: ImportImageRequest;
  spec: (image: VmSpec['image']) => VmSpec;
  ref: VmRef;
}

export interface LifecyclePaths {
  /** Host-side paths (Windows paths when twinbox runs on Windows). */
  source: string;
  imagesDir: string;
  vmDir: string;
}

/**
 * A whole VM life through one PowerShell host: detect → import (a VHDX copied in place) →
 * create → start → state → stop (graceful) → checkpoints → remove → state (gone).
 */
export function hypervLifecycle(paths: LifecyclePaths, fixture: HyperVFixture = DEMO): HyperVLifecycle {
  const ps = new HyperVSteps(fixture);
  const base = win32.join(win32.normalize(paths.imagesDir), 'debian-12.vhdx');
  const vmDir = win32.normalize(paths.vmDir);
  const disk = win32.join(vmDir, `${ps.name}.vhdx`);
  const pipe = `\\\\.\\pipe\\twinbox-${fixture.id}`;
  const channel = 'org.qemu.guest_agent.0';
  const createScript = [
    `$disk = ${q(disk)}; $vm = $null;`,
    "$switch = Hyper-V\\Get-VMSwitch -Id 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444' -ErrorAction SilentlyContinue; if (-not $switch) { Write-Error -Message 'Hyper-V has no Default Switch for NAT networking' -Category ObjectNotFound -ErrorId TwinboxNoSwitch };",
    'try {',
    `$null = Hyper-V\\New-VHD -Path $disk -ParentPath ${q(base)} -Differencing;`,
    `$vm = Hyper-V\\New-VM -Name ${q(ps.name)} -Generation 2 -VHDPath $disk -MemoryStartupBytes 1073741824 -Path ${q(vmDir)} -SwitchName $switch.Name;`,
    'Hyper-V\\Set-VMProcessor -VM $vm -Count 2;',
    'Hyper-V\\Set-VMFirmware -VM $vm -EnableSecureBoot Off;',
    `Hyper-V\\Set-VMComPort -VM $vm -Number 1 -Path ${q(pipe)};`,
    "if ((Get-Command Hyper-V\\Set-VM).Parameters.ContainsKey('AutomaticCheckpointsEnabled')) { Hyper-V\\Set-VM -VM $vm -AutomaticCheckpointsEnabled $false };",
    '[pscustomobject]@{ Id = $vm.Id.ToString(); Name = $vm.Name }',
    '} catch {',
    'if ($vm) { Hyper-V\\Remove-VM -VM $vm -Force -ErrorAction SilentlyContinue };',
    'if (Test-Path -LiteralPath $disk) { Remove-Item -LiteralPath $disk -Force -ErrorAction SilentlyContinue };',
    'throw }',
  ].join(' ');
  const importScript = [
    `$source = ${q(win32.normalize(paths.source))}; $target = ${q(base)};`,
    "if (Test-Path -LiteralPath $target) { Write-Error -Message 'the target file exists' -Category ResourceExists -ErrorId TwinboxImageExists };",
    'try { Copy-Item -LiteralPath $source -Destination $target; $vhd = Hyper-V\\Get-VHD -Path $target;',
    "if ($vhd.VhdType.ToString() -eq 'Differencing') { Write-Error -Message 'a differencing disk cannot be a base image' -Category InvalidData -ErrorId TwinboxDifferencingBase };",
    'Set-ItemProperty -LiteralPath $target -Name IsReadOnly -Value $true;',
    '[pscustomobject]@{ Path = $vhd.Path; VhdFormat = $vhd.VhdFormat.ToString(); VhdType = $vhd.VhdType.ToString(); FileSize = $vhd.FileSize; Size = $vhd.Size }',
    '} catch { if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Force -ErrorAction SilentlyContinue }; throw }',
  ].join(' ');
  const steps: TranscriptStep[] = [
    ...ps.boot(),
    ps.ok(DETECT_SCRIPT_TEXT, hostFacts()),
    ps.ok(importScript, { Path: base, VhdFormat: 'VHDX', VhdType: 'Dynamic', FileSize: 1610612736, Size: 21474836480 }),
    ps.ok(createScript, { Id: fixture.vmId, Name: ps.name }),
    ps.vmInfo('Off'),
    ps.start(),
    ps.vmInfo('Running'),
    ps.vmInfo('Running'),
    ps.shutdown(),
    ps.vmInfo('Stopping'),
    ps.vmInfo('Off'),
    ps.listSnapshots([]),
    ps.createSnapshot('clean'),
    ps.listSnapshots(['clean']),
    ps.ok(ps.restoreSnapshotScript('clean')),
    ps.ok(ps.deleteSnapshotScript('clean')),
    ps.ok(ps.removeScript(), [disk]),
    ps.deleteFiles([disk], vmDir, base),
    ps.vmGone(),
  ];
  return {
    steps,
    importRequest: { source: paths.source, format: 'vhdx', destinationDir: paths.imagesDir },
    spec: (image) => ({ id: fixture.id, image, vmDir: paths.vmDir, memoryMiB: 1024, cpus: 2, network: 'nat', channels: [channel] }),
    ref: { id: fixture.id, vmDir: paths.vmDir, data: { vmId: fixture.vmId, name: ps.name, diskPath: disk, basePath: base, vmDirWindows: vmDir, [`channel:${channel}`]: pipe } },
  };
}
