import { NAME_PATTERN, TwinboxError, type VmRef } from 'twinbox/plugin-api';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function checkVmId(id: string): void {
  if (!NAME_PATTERN.test(id)) {
    throw new TwinboxError('invalid-name', `"${id}" is not a valid VM id`, { hint: 'use lowercase letters, digits and dashes, starting with a letter (at most 40)', exit: 'usage' });
  }
}

export function vmName(id: string): string {
  checkVmId(id);
  return `twinbox-${id}`;
}

/**
 * The Hyper-V GUID recorded at creation (names are not unique in Hyper-V, GUIDs are), or
 * undefined for a VM never created. A recorded value that is no GUID is a damaged record.
 */
export function recordedVmId(vm: VmRef): string | undefined {
  checkVmId(vm.id);
  const vmId = vm.data?.vmId;
  if (vmId === undefined) return undefined;
  if (typeof vmId !== 'string' || !GUID.test(vmId)) {
    throw new TwinboxError('vm-ref-invalid', `the Hyper-V VM id recorded for ${vm.id} is not a GUID`, { hint: 'the VM record is damaged; remove it and create the VM again' });
  }
  return vmId;
}

/** The GUID of a VM that must exist. */
export function vmIdOf(vm: VmRef): string {
  const vmId = recordedVmId(vm);
  if (!vmId) {
    throw new TwinboxError('vm-not-found', `Hyper-V has no VM for ${vm.id}: it was never created`, { hint: 'create the VM first' });
  }
  return vmId;
}

// The same rule as every twinbox hypervisor: no path separators, nothing that needs quoting.
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkSnapshotName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new TwinboxError('invalid-snapshot-name', `"${name}" is not a usable checkpoint name`, {
      hint: 'use letters, digits, dots, dashes and underscores (1–64 characters, starting with a letter or digit)',
      exit: 'usage',
    });
  }
}
