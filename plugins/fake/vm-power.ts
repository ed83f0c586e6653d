import { resolve } from 'node:path';
import type { VmRef } from 'twinbox/plugin-api';
import { fakeErrors } from './errors.js';
import type { FakeContext } from './fake-context.js';
import { killGuest } from './guest-control.js';
import { signalGuest } from './process-check.js';
import { currentStatus } from './vm-status.js';
import { updateRecord } from './vm-store.js';

/** Freezes the guest and every program in it, as stopping the vCPUs would. */
export async function pauseVm(vm: VmRef): Promise<void> {
  const vmDir = resolve(vm.vmDir);
  const { record, status } = await currentStatus(vmDir);
  if (!record) throw fakeErrors.vmNotFound(vm.id);
  if (status.state === 'paused') return;
  if (status.state !== 'running' || record.pid === undefined) throw fakeErrors.vmNotRunning(vm.id, status.state);
  const pid = record.pid;
  await updateRecord(vmDir, (current) => {
    if (current.pid !== pid) return false;
    // Frozen only while we hold the record lock: a guest frozen halfway through its own
    // record update would keep the lock, and everyone would wait on it for ever.
    signalGuest(pid, 'SIGSTOP');
    current.state = 'paused';
    current.reason = 'paused by request';
  });
}

/** Thaws a paused guest. (Resuming a suspended one is a start: see FakeHypervisor.resume.) */
export async function unpauseVm(vm: VmRef, pid: number): Promise<void> {
  signalGuest(pid, 'SIGCONT');
  await updateRecord(resolve(vm.vmDir), (current) => {
    current.state = 'running';
    current.reason = 'resumed by request';
  });
}

/**
 * Saves the VM's memory and stops it, like libvirt's managedsave. The memory image is
 * simulated: only a marker is written, and the next start "restores" from it.
 */
export async function suspendVm(context: FakeContext, vm: VmRef): Promise<void> {
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
