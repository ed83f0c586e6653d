import { resolve } from 'node:path';
import type { VmRef } from 'twinbox/plugin-api';
import { fakeErrors } from '../driver/errors.js';
import { killGuest } from '../driver/guest-control.js';
import { withOperationLock } from '../driver/operation-lock.js';
import { currentStatus } from '../driver/vm-status.js';
import { updateRecord } from '../driver/vm-store.js';
import type { FakeContext } from '../provider.js';

export function suspend(context: FakeContext, vm: VmRef): Promise<void> {
  return withOperationLock(vm, () => suspendVm(context, vm));
}

/**
 * Saves the VM's memory and stops it, like libvirt's managedsave. The memory image is
 * simulated: only a marker is written, and the next start "restores" from it.
 */
async function suspendVm(context: FakeContext, vm: VmRef): Promise<void> {
  const vmDir = resolve(vm.vmDir);
  const { record, status } = await currentStatus(vmDir);
  if (!record) throw fakeErrors.vmNotFound(vm.id);
  if (status.state === 'suspended') return;
  if ((status.state !== 'running' && status.state !== 'paused') || record.pid === undefined) {
    throw fakeErrors.vmNotRunning(vm.id, status.state);
  }
  await updateRecord(vmDir, (current) => {
    current.state = 'suspending';
    current.reason = 'saving memory to disk';
  });
  await killGuest(context, record.pid, vmDir, record.socketPath);
  await updateRecord(vmDir, (current) => {
    current.state = 'suspended';
    current.reason = 'suspended: memory saved to disk (simulated)';
    current.savedState = { savedAt: new Date(context.clock.now()).toISOString(), memory: 'simulated' };
    delete current.pid;
    delete current.socketPath;
  });
}
