import { resolve } from 'node:path';
import type { VmRef } from 'twinbox/plugin-api';
import { fakeErrors } from '../driver/errors.js';
import { withOperationLock } from '../driver/operation-lock.js';
import { signalGuest } from '../driver/process-check.js';
import { currentStatus } from '../driver/vm-status.js';
import { updateRecord } from '../driver/vm-store.js';
import type { FakeContext } from '../provider.js';

/** Freezes the guest and every program in it, as stopping the vCPUs would. */
export function pause(_context: FakeContext, vm: VmRef): Promise<void> {
  return withOperationLock(vm, () => pauseVm(vm));
}

async function pauseVm(vm: VmRef): Promise<void> {
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

/** Thaws a paused guest. (Resuming a suspended one is a start: see resume.ts.) */
export async function unpause(vm: VmRef, pid: number): Promise<void> {
  signalGuest(pid, 'SIGCONT');
  await updateRecord(resolve(vm.vmDir), (current) => {
    current.state = 'running';
    current.reason = 'resumed by request';
  });
}
