import { join } from 'node:path';
import type { HypervisorPlugin, VmRef } from '../../../../src/plugin-api/index.js';
import { openCore } from '../../../../src/core/open-core.js';
import { WorkspaceRegistry } from '../../../../src/core/workspace/registry.js';

/**
 * Does what first-time setup will do for an installed workspace, on the fake hypervisor:
 * imports the base image, creates the VM in the workspace folder and records it on the
 * registry entry. Returns the plugin to ask about the VM afterwards.
 */
export async function setUpOnFake(home: string, name: string): Promise<{ fake: HypervisorPlugin; vm: VmRef }> {
  const core = openCore({ env: { TWINBOX_HOME: home } });
  const registry = new WorkspaceRegistry(join(home, 'data'));
  const entry = registry.get(name);
  const fake = await core.plugins.hypervisor('fake');
  const vmDir = join(home, 'data', 'workspaces', name, 'vm');
  const image = await fake.importImage({ source: entry.imagePath, format: 'raw', destinationDir: join(vmDir, 'base') });
  const vm = await fake.create({ id: name, image, vmDir, memoryMiB: 256, cpus: 1, network: 'none', channels: ['org.qemu.guest_agent.0'] });
  registry.update(name, (current) => ({ ...current, hypervisor: 'fake', vm, setup: { state: 'ready', code: 0 } }));
  return { fake, vm };
}
