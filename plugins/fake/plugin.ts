import { resolve } from 'node:path';
import { defineHypervisorPlugin, DISK_FORMATS, type Clock, type CommandRunner, type PluginPaths, type VmRef } from 'twinbox/plugin-api';
import { create } from './actions/create.js';
import { importImage } from './actions/import-image.js';
import { pause } from './actions/pause.js';
import { remove } from './actions/remove.js';
import { resume } from './actions/resume.js';
import { createSnapshot, deleteSnapshot, listSnapshots, restoreSnapshot } from './actions/snapshots.js';
import { start } from './actions/start.js';
import { stop } from './actions/stop.js';
import { suspend } from './actions/suspend.js';
import { openChannel } from './cap/channel.js';
import { consoleTail } from './cap/console-tail.js';
import { forwardPort } from './cap/forward-port.js';
import { metrics } from './cap/metrics.js';
import { fakeErrors } from './driver/errors.js';
import { mergeFaults, type FakeFaults } from './driver/faults.js';
import { updateRecord } from './driver/vm-store.js';
import { context, detect, state, type FakeHypervisorOptions } from './provider.js';

/**
 * A hypervisor that runs no real guest, for tests and demos: each running VM is a detached
 * Node process that keeps its state in files and speaks the real QEMU guest agent protocol,
 * with a folder standing in for the guest's filesystem. Faults can be injected per VM.
 */
export class FakeHypervisor extends defineHypervisorPlugin({
  name: 'fake',
  displayName: 'fake (simulated)',
  simulated: true,
  context,
  // The guest filesystem is unpacked from any base (a tar archive) or made empty.
  capabilities: { linkedClones: true, suspend: true, pause: true, snapshots: true, channels: true, importFormats: DISK_FORMATS, createFormats: DISK_FORMATS },
  folderSharing: { ways: [], note: 'the fake hypervisor runs no real guest: shared folders are mapped for apps, never mounted' },
  provider: { detect, state },
  actions: { importImage, create, start, stop, pause, suspend, resume, remove, listSnapshots, createSnapshot, restoreSnapshot, deleteSnapshot },
  caps: { openChannel, forwardPort, consoleTail, metrics },
}) {
  constructor(runner: CommandRunner, paths: PluginPaths, clock: Clock, options: FakeHypervisorOptions = {}) {
    super({ runner, paths, clock, ...options });
  }

  /**
   * Changes the VM's injected faults (undefined resets one); persisted with the VM, so the
   * guest process and other twinbox processes see them. Agent faults apply to the next
   * connection; boot and crash faults to the next start.
   */
  async setFaults(vm: VmRef, faults: Partial<FakeFaults>): Promise<FakeFaults> {
    const updated = await updateRecord(resolve(vm.vmDir), (record) => {
      record.faults = mergeFaults(record.faults, faults);
    });
    if (!updated) throw fakeErrors.vmNotFound(vm.id);
    return updated.faults;
  }

  /** Every VM this plugin made under its data folder, by id (other processes' VMs included). */
  listVms(): Promise<Record<string, string>> {
    return this.context.index.list();
  }
}
