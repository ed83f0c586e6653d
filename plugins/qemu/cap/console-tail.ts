import { readConsoleTail, type VmRef } from 'twinbox/plugin-api';
import { findVm } from '../driver/load-vm.js';
import type { QemuDeps } from '../provider.js';

/** The serial console is written to a file from boot on; each start begins a new one. */
export async function consoleTail(deps: QemuDeps, vm: VmRef): Promise<string | undefined> {
  const config = await findVm(deps, vm);
  return config ? readConsoleTail(config.paths.consoleLog) : undefined;
}
