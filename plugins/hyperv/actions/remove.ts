import { win32 } from 'node:path';
import type { VmRef } from 'twinbox/plugin-api';
import { isVmNotFound, toTwinboxError } from '../driver/errors.js';
import { recordedVmId, vmName } from '../driver/names.js';
import { toWindowsPath } from '../driver/platform.js';
import { asList } from '../driver/values.js';
import type { HyperVContext } from '../provider.js';
import { deleteFilesScript, removeVmScript } from '../scripts/remove-vm.js';

function text(vm: VmRef, key: string): string | undefined {
  const value = vm.data?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Turns the VM off, removes it, then deletes its differencing and checkpoint disks and its
 * configuration folder. A VM already gone still has its files cleaned up. The base image is
 * never deleted.
 */
export async function remove(ctx: HyperVContext, vm: VmRef): Promise<void> {
  const vmId = recordedVmId(vm);
  // Never created: creation undoes itself on failure, so nothing of it is left.
  if (!vmId) return;
  const envelope = await ctx.driver.attempt(removeVmScript(vmId), { action: 'remove the VM', timeoutMs: 5 * 60 * 1000 });
  if (!envelope.ok && !isVmNotFound(envelope)) throw toTwinboxError(envelope, 'remove the VM');
  const attached = envelope.ok ? asList(envelope.value).filter((path): path is string => typeof path === 'string') : [];
  const vmDir = text(vm, 'vmDirWindows') ?? toWindowsPath(vm.vmDir, ctx.host);
  const disk = text(vm, 'diskPath') ?? win32.join(vmDir, `${vmName(vm.id)}.vhdx`);
  const base = text(vm, 'basePath') ?? '';
  const disks = [...new Set([...attached, disk])];
  await ctx.driver.invoke(deleteFilesScript(disks, vmDir, win32.join(vmDir, vmName(vm.id)), base), { action: "delete the VM's files" });
}
