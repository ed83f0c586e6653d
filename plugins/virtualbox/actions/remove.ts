import { rmSync } from 'node:fs';
import { isTwinboxError, type VmRef } from 'twinbox/plugin-api';
import { machineFolder, machineOf } from '../driver/names.js';
import { readVm, type VBoxContext } from '../provider.js';

const STILL_RUNNING = new Set(['running', 'paused', 'starting', 'stopping', 'suspending', 'unknown']);

async function unregister(ctx: VBoxContext, vm: VmRef, withFiles: boolean): Promise<void> {
  try {
    // The power-off releases the session lock a moment later; the driver retries that conflict.
    await ctx.driver.exec(['unregistervm', machineOf(vm), ...(withFiles ? ['--delete'] : [])], { timeoutMs: 10 * 60 * 1000 });
  } catch (error) {
    if (!isTwinboxError(error) || error.code !== 'vm-not-found') throw error;
  }
}

/**
 * Powers the VM off if needed and unregisters it with its own files (settings, differencing
 * disk and snapshot disks, saved state, logs). The base is not attached to the VM, only its
 * differencing disk is, so it stays for other VMs. Whatever VirtualBox leaves in the machine
 * folder twinbox gave it goes too.
 */
export async function remove(ctx: VBoxContext, vm: VmRef): Promise<void> {
  const { status, raw, inaccessible } = await readVm(ctx, vm);
  if (inaccessible) {
    // Its files cannot be read, so VirtualBox cannot delete them: forget it, then clean up.
    await unregister(ctx, vm, false);
  } else if (status.state !== 'not-created') {
    if (STILL_RUNNING.has(status.state) || raw === 'gurumeditation') {
      // It may stop on its own meanwhile; unregistering is what must succeed.
      await ctx.driver.attempt(['controlvm', machineOf(vm), 'poweroff']);
    }
    await unregister(ctx, vm, true);
  }
  rmSync(machineFolder(vm), { recursive: true, force: true });
}
