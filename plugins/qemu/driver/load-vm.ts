import type { PluginPaths, VmRef } from 'twinbox/plugin-api';
import { qemuErrors } from './errors.js';
import { readVmConfig, type QemuVmConfig } from './vm-config.js';
import { vmPaths } from './vm-paths.js';

/** Where the plugin keeps its sockets, which is where a VM's config is found. */
type Folders = { paths: PluginPaths };

export function configPath(deps: Folders, vm: VmRef): string {
  return vmPaths({ id: vm.id, vmDir: vm.vmDir, channels: [] }, deps.paths.runtimeDir).config;
}

export async function findVm(deps: Folders, vm: VmRef): Promise<QemuVmConfig | undefined> {
  return readVmConfig(configPath(deps, vm));
}

export async function loadVm(deps: Folders, vm: VmRef): Promise<QemuVmConfig> {
  const config = await findVm(deps, vm);
  if (!config) throw qemuErrors.vmNotFound(vm.id, vm.vmDir);
  return config;
}
