import type { VmRef } from 'twinbox/plugin-api';
import type { QemuDeps } from '../deps.js';
import { qemuErrors } from '../errors.js';
import { readVmConfig, type QemuVmConfig } from '../vm/vm-config.js';
import { vmPaths } from '../vm/vm-paths.js';

export function configPath(deps: QemuDeps, vm: VmRef): string {
  return vmPaths({ id: vm.id, vmDir: vm.vmDir, channels: [] }, deps.paths.runtimeDir).config;
}

export async function findVm(deps: QemuDeps, vm: VmRef): Promise<QemuVmConfig | undefined> {
  return readVmConfig(configPath(deps, vm));
}

export async function loadVm(deps: QemuDeps, vm: VmRef): Promise<QemuVmConfig> {
  const config = await findVm(deps, vm);
  if (!config) throw qemuErrors.vmNotFound(vm.id, vm.vmDir);
  return config;
}
