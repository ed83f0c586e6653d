import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StartOptions, VmRef } from 'twinbox/plugin-api';
import { lastConsoleLine, markConsoleStart } from '../driver/console-log.js';
import { fakeErrors } from '../driver/errors.js';
import { killGuest, POLL_MS } from '../driver/guest-control.js';
import { withOperationLock } from '../driver/operation-lock.js';
import { isGuestProcess } from '../driver/process-check.js';
import { vmFile } from '../driver/vm-record.js';
import { currentStatus } from '../driver/vm-status.js';
import { readRecord, updateRecord } from '../driver/vm-store.js';
import type { FakeContext } from '../provider.js';
import { unpause } from './pause.js';

export const DEFAULT_START_TIMEOUT_MS = 30_000;

/** Short, because unix socket paths are limited to about 108 bytes. */
export function agentSocketPath(context: FakeContext, id: string): string {
  return join(context.paths.runtimeDir, `${id}.qga`);
}

async function abandonStart(vmDir: string, reason: string): Promise<void> {
  await updateRecord(vmDir, (record) => {
    // A failed boot from saved state leaves the saved state usable.
    record.state = record.savedState ? 'suspended' : 'stopped';
    record.reason = reason;
    delete record.pid;
    delete record.restoring;
    delete record.socketPath;
  });
}

async function sleepUnlessAborted(context: FakeContext, signal: AbortSignal | undefined): Promise<void> {
  try {
    await context.clock.sleep(POLL_MS, signal);
  } catch {
    // An aborted sleep: the caller looks at the signal.
  }
}

/**
 * Launches the guest process (detached, so it outlives the CLI) and waits until it reports
 * running. The caller holds the operation lock and has checked the VM can start.
 */
export async function launchVm(context: FakeContext, vm: VmRef, options: StartOptions, restoring: boolean): Promise<void> {
  const vmDir = resolve(vm.vmDir);
  const timeoutMs = options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  await mkdir(context.paths.runtimeDir, { recursive: true, mode: 0o700 });
  await chmod(context.paths.runtimeDir, 0o700);
  const socketPath = agentSocketPath(context, vm.id);
  await updateRecord(vmDir, (record) => {
    record.state = 'starting';
    record.reason = restoring ? 'restoring from saved state' : 'booting';
    record.socketPath = socketPath;
    if (restoring) record.restoring = true;
    else delete record.restoring;
    delete record.pid;
  });
  options.onProgress?.({ message: restoring ? 'restoring the VM' : 'booting the VM' });
  await markConsoleStart(vmDir, context.clock.now());
  const pid = await context.runner.spawnDetached(process.execPath, [context.guestMain, vmDir, socketPath], {
    cwd: vmDir,
    logFile: vmFile(vmDir, 'console'),
  });
  await updateRecord(vmDir, (record) => {
    if (record.state !== 'starting' || record.pid !== undefined) return false;
    record.pid = pid;
  });

  const deadline = context.clock.now() + timeoutMs;
  for (;;) {
    if (options.signal?.aborted) {
      await killGuest(context, pid, vmDir, socketPath);
      await abandonStart(vmDir, 'start was cancelled');
      throw fakeErrors.cancelled(`VM ${vm.id}`, 'start');
    }
    const record = await readRecord(vmDir);
    if (!record) {
      await killGuest(context, pid, vmDir, socketPath);
      throw fakeErrors.vmNotFound(vm.id);
    }
    if (record.state === 'running' && record.pid === pid) {
      options.onProgress?.({ percent: 100, message: 'running' });
      return;
    }
    if (!(await isGuestProcess(pid, vmDir))) {
      const reason = (await lastConsoleLine(vmDir)) ?? `guest process ${pid} exited while booting`;
      await abandonStart(vmDir, `failed to start: ${reason}`);
      throw fakeErrors.startFailed(vm.id, reason);
    }
    if (context.clock.now() >= deadline) {
      await killGuest(context, pid, vmDir, socketPath);
      await abandonStart(vmDir, `did not report running within ${Math.round(timeoutMs / 1000)} s`);
      throw fakeErrors.startTimeout(vm.id, timeoutMs);
    }
    await sleepUnlessAborted(context, options.signal);
  }
}

/** Waits for a start another process is running; false if it did not end in running. */
export async function waitForOtherStart(context: FakeContext, vmDir: string, timeoutMs: number): Promise<boolean> {
  const deadline = context.clock.now() + timeoutMs;
  for (;;) {
    const { status } = await currentStatus(vmDir);
    if (status.state !== 'starting') return status.state === 'running';
    if (context.clock.now() >= deadline) return false;
    await context.clock.sleep(POLL_MS);
  }
}

/** Boots a stopped or crashed VM, restores a suspended one, thaws a paused one; a start another process left half-way is waited for. */
export async function start(context: FakeContext, vm: VmRef, options: StartOptions = {}): Promise<void> {
  await withOperationLock(vm, async () => {
    const vmDir = resolve(vm.vmDir);
    let { record, status } = await currentStatus(vmDir);
    if (!record) throw fakeErrors.vmNotFound(vm.id);
    if (status.state === 'starting') {
      // Started by a process that went away before the guest was up.
      if (await waitForOtherStart(context, vmDir, options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS)) return;
      ({ record, status } = await currentStatus(vmDir));
    }
    if (status.state === 'paused' && record?.pid !== undefined) {
      await unpause(vm, record.pid);
      return;
    }
    switch (status.state) {
      case 'running':
        return;
      case 'stopped':
      case 'crashed':
      case 'suspended':
        await launchVm(context, vm, options, status.state === 'suspended');
        return;
      default:
        throw fakeErrors.invalidState(vm.id, status.state, 'start', 'wait until the current operation has finished');
    }
  });
}
