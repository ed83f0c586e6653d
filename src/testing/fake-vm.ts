import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { HypervisorPlugin, VmRef } from '../plugin-api/index.js';
import { packGuestFiles, type GuestFile } from '../core/demo/fake-guest-image.js';
import { openTestCore, type TestCore } from './test-core.js';

export type FakeGuestFile = GuestFile;

export interface FakeVmOptions {
  /** Files of the simulated guest's filesystem, by guest path without the leading slash. */
  files?: Record<string, string | FakeGuestFile>;
  id?: string;
}

export interface RunningFakeVm {
  core: TestCore;
  hypervisor: HypervisorPlugin;
  vm: VmRef;
  /** A fresh byte stream to the guest agent, for a guest-agent plugin under test. */
  openChannel(name?: string): Promise<Duplex>;
  /** Removes the VM (its detached process too) and the temporary home. */
  dispose(): Promise<void>;
}

/**
 * Starts a VM on the fake hypervisor (a detached process serving the real QEMU guest agent
 * protocol) with the guest files you give: what a guest-agent plugin's tests run against.
 */
export async function startFakeVm(options: FakeVmOptions = {}): Promise<RunningFakeVm> {
  const core = await openTestCore();
  const hypervisor = await core.plugins.hypervisor('fake');
  try {
    const image = join(core.home, 'guest.tar');
    await packGuestFiles(core.commandRunner, options.files ?? {}, image);
    const imported = await hypervisor.importImage({ source: image, format: 'raw', destinationDir: join(core.home, 'base') });
    const vm = await hypervisor.create({
      id: options.id ?? 'test-vm',
      image: imported,
      vmDir: join(core.home, 'vm'),
      memoryMiB: 128,
      cpus: 1,
      network: 'none',
      channels: ['org.qemu.guest_agent.0'],
    });
    await hypervisor.start(vm, { timeoutMs: 30_000 });
    return {
      core,
      hypervisor,
      vm,
      openChannel: (name = 'org.qemu.guest_agent.0') => hypervisor.openChannel(vm, name),
      dispose: async () => {
        await hypervisor.remove(vm);
        await core.cleanup();
      },
    };
  } catch (error) {
    await core.cleanup();
    throw error;
  }
}
