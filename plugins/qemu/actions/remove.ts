import { rm, rmdir } from 'node:fs/promises';
import type { VmRef } from 'twinbox/plugin-api';
import { findVm } from '../driver/load-vm.js';
import { vmPaths } from '../driver/vm-paths.js';
import { inspectVm } from '../driver/vm-state.js';
import type { QemuDeps } from '../provider.js';
import { stop } from './stop.js';

/**
 * Deletes what the plugin made for the VM and nothing else: the base image (wherever it is)
 * and any other files in the VM folder stay.
 */
export async function remove(deps: QemuDeps, vm: VmRef): Promise<void> {
  const config = await findVm(deps, vm);
  const paths = config?.paths ?? vmPaths({ id: vm.id, vmDir: vm.vmDir, channels: [] }, deps.paths.runtimeDir);
  if (config) {
    const { verdict } = await inspectVm(deps, config);
    if (verdict.kind === 'ours') await stop(deps, vm, { force: true });
  }
  const own = [paths.overlay, paths.consoleLog, paths.previousConsoleLog].filter((path) => path !== config?.spec.image.path);
  await Promise.all(own.map((path) => rm(path, { force: true })));
  await rm(paths.runDir, { recursive: true, force: true });
  // Last, so that a failed removal can be retried.
  await rm(paths.config, { force: true });
  await rmdir(paths.vmDir).catch(() => undefined);
}
