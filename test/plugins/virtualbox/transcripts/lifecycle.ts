import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportImageRequest, VmRef, VmSpec } from 'twinbox/plugin-api';
import type { TranscriptStep } from '../../../../src/testing/transcript-runner.js';
import { VBoxSteps, type VBoxFixture } from './vbox-steps.js';

export interface LifecycleFixture extends VBoxFixture {
  /** Folder holding the source image and receiving the imported one. */
  imagesDir: string;
}

export interface VBoxLifecycle {
  steps: TranscriptStep[];
  /** The source image (created by `prepare()`). */
  importRequest: ImportImageRequest;
  /** What create() is called with, once the image is imported. */
  spec: (image: VmSpec['image']) => VmSpec;
  /** What create() must return. */
  ref: VmRef;
  prepare: () => void;
}

/**
 * A whole VM life as VirtualBox sees it, in the order a conformance run makes the calls:
 * detect → import → create → start → state → stop (graceful) → list snapshots (none) →
 * take (after a duplicate check) → list → restore → delete → remove → state (gone).
 */
export function virtualboxLifecycle(fixture: LifecycleFixture): VBoxLifecycle {
  const vbox = new VBoxSteps(fixture);
  const source = join(fixture.imagesDir, 'debian-12.vmdk');
  const imported = join(fixture.imagesDir, 'base', 'debian-12.vdi');
  const channel = 'org.qemu.guest_agent.0';
  const steps: TranscriptStep[] = [
    vbox.version(),
    ...vbox.importByClone(source, imported),
    ...vbox.create(imported),
    vbox.showvminfo('poweroff'),
    vbox.startvm(),
    vbox.showvminfo('running'),
    vbox.showvminfo('running'),
    vbox.controlvm('acpipowerbutton'),
    vbox.showvminfo('stopping'),
    vbox.showvminfo('poweroff'),
    vbox.snapshotList([]),
    vbox.snapshotList([]),
    vbox.snapshot('take', 'clean'),
    vbox.snapshotList(['clean']),
    vbox.snapshot('restore', 'clean'),
    vbox.snapshot('delete', 'clean'),
    vbox.showvminfo('poweroff'),
    vbox.unregister(),
    vbox.showvminfoGone(),
  ];
  return {
    steps,
    importRequest: { source, format: 'vmdk', destinationDir: join(fixture.imagesDir, 'base') },
    spec: (image) => ({ id: fixture.id, image, vmDir: fixture.vmDir, memoryMiB: 1024, cpus: 2, network: 'nat', channels: [channel] }),
    ref: { id: fixture.id, vmDir: fixture.vmDir, data: { uuid: fixture.uuid, name: vbox.name, disk: vbox.diskPath, [`channel:${channel}`]: fixture.socketPath } },
    prepare: () => writeFileSync(source, 'KDMV'),
  };
}
