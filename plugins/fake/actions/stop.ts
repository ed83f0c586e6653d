import { resolve } from 'node:path';
import type { StopOptions, StopResult, VmRef } from 'twinbox/plugin-api';
import { fakeErrors } from '../driver/errors.js';
import { killGuest, requestShutdown, waitForExit } from '../driver/guest-control.js';
import { withOperationLock } from '../driver/operation-lock.js';
import { signalGuest } from '../driver/process-check.js';
import { currentStatus } from '../driver/vm-status.js';
import { updateRecord } from '../driver/vm-store.js';
import type { FakeContext } from '../provider.js';

const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** Connecting to a local socket is instant unless the guest is wedged. */
const CONNECT_TIMEOUT_MS = 2_000;

export async function markStopped(vmDir: string, reason: string): Promise<void> {
  await updateRecord(vmDir, (record) => {
    record.state = 'stopped';
    record.reason = reason;
    delete record.pid;
    delete record.socketPath;
    delete record.restoring;
    delete record.savedState;
  });
}

/**
 * Graceful: guest-shutdown through the agent, then wait; forced at once with `force`, or when
 * the guest has not gone by the deadline. The caller holds the operation lock.
 */
export function stop(context: FakeContext, vm: VmRef, options: StopOptions = {}): Promise<StopResult> {
  return withOperationLock(vm, () => stopVm(context, vm, options));
}

async function stopVm(context: FakeContext, vm: VmRef, options: StopOptions): Promise<StopResult> {
  const vmDir = resolve(vm.vmDir);
  const { record, status } = await currentStatus(vmDir);
  if (!record) throw fakeErrors.vmNotFound(vm.id);
  switch (status.state) {
    case 'stopped':
      return { how: 'already-stopped' };
    case 'crashed':
      await markStopped(vmDir, `stopped after a crash (${record.reason})`);
      return { how: 'already-stopped' };
    case 'suspended':
      // Stopping a saved VM means the next start boots afresh, as VBoxManage discardstate does.
      await markStopped(vmDir, 'stopped; the saved state was discarded');
      return { how: 'already-stopped' };
    default:
      break;
  }
  const pid = record.pid;
  if (pid === undefined) {
    await markStopped(vmDir, 'stopped before the VM process was up');
    return { how: 'already-stopped' };
  }
  if (options.force) {
    await killGuest(context, pid, vmDir, record.socketPath);
    await markStopped(vmDir, 'powered off (forced)');
    return { how: 'forced' };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const deadline = context.clock.now() + timeoutMs;
  // A frozen guest cannot hear the request.
  if (status.state === 'paused') signalGuest(pid, 'SIGCONT');
  await updateRecord(vmDir, (current) => {
    if (current.pid !== pid) return false;
    current.state = 'stopping';
    current.reason = 'shutdown requested';
  });
  options.onProgress?.({ message: 'asking the guest to shut down' });
  const delivered = record.socketPath !== undefined && (await requestShutdown(record.socketPath, Math.min(CONNECT_TIMEOUT_MS, timeoutMs)));
  if (delivered && (await waitForExit(context, pid, vmDir, deadline))) {
    await markStopped(vmDir, 'shut down gracefully on request');
    return { how: 'graceful' };
  }
  await killGuest(context, pid, vmDir, record.socketPath);
  await markStopped(
    vmDir,
    delivered
      ? `powered off: the guest did not shut down within ${Math.round(timeoutMs / 1000)} s`
      : 'powered off: the guest agent could not be reached',
  );
  return { how: 'forced' };
}
