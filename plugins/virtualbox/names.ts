import { join } from 'node:path';
import { NAME_PATTERN, TwinboxError, type VmRef } from 'twinbox/plugin-api';

export const VM_NAME_PREFIX = 'twinbox-';

export function checkVmId(id: string): void {
  if (!NAME_PATTERN.test(id)) {
    throw new TwinboxError('invalid-name', `"${id}" is not a valid VM id`, { hint: 'use lowercase letters, digits and dashes, starting with a letter (at most 40)', exit: 'usage' });
  }
}

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

// The same rule as every twinbox hypervisor: no path separators, no option-like leading dash,
// nothing that needs quoting anywhere.
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkSnapshotName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new TwinboxError('invalid-snapshot-name', `"${name}" is not a usable snapshot name`, {
      hint: 'use letters, digits, dots, dashes and underscores (1–64 characters, starting with a letter or digit)',
      exit: 'usage',
    });
  }
}
