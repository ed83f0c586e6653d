import { checkVmId, TwinboxError, type VmRef } from 'twinbox/plugin-api';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

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
