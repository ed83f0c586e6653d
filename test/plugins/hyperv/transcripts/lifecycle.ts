import { win32 } from 'node:path';
import type { ImportImageRequest, VmRef, VmSpec } from 'twinbox/plugin-api';
import type { TranscriptStep } from '../../../../src/testing/transcript-runner.js';
import { createVmScript, DETECT_SCRIPT_TEXT, hostFacts, HyperVSteps, importCopyScript, type HyperVFixture, DEMO } from './hyperv-steps.js';

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
  const createScript = createVmScript({ disk, base, name: ps.name, vmDir, pipe, memoryBytes: 1073741824, cpus: 2 });
  const importScript = importCopyScript(win32.normalize(paths.source), base);
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
