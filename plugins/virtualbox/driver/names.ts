import { join } from 'node:path';
import { checkVmId, type VmRef } from 'twinbox/plugin-api';

export const VM_NAME_PREFIX = 'twinbox-';

/** The folder createvm makes for the VM inside its vmDir: settings, logs, disks. */
export function machineFolder(vm: VmRef): string {
  return join(vm.vmDir, vmName(vm.id));
}

export function vmName(id: string): string {
  checkVmId(id);
  return `${VM_NAME_PREFIX}${id}`;
}

/**
 * How VBoxManage is told which VM: the UUID recorded at creation, so a VM renamed in the
 * VirtualBox GUI is still found; the name only for refs made before the UUID was known.
 */
export function machineOf(vm: VmRef): string {
  const uuid = vm.data?.uuid;
  return typeof uuid === 'string' && uuid !== '' ? uuid : vmName(vm.id);
}
