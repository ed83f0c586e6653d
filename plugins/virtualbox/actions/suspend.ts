import { mustAct, POWER_RULES, type OperationOptions, type VmRef } from 'twinbox/plugin-api';
import { readVm, type VBoxContext } from '../provider.js';

const SAVE_TIMEOUT_MS = 10 * 60 * 1000;

/** Saves the VM's memory to disk and stops it (`savestate`); the next start restores it. */
export async function suspend(ctx: VBoxContext, vm: VmRef, options: OperationOptions = {}): Promise<void> {
  const { status } = await readVm(ctx, vm, options.signal);
  if (mustAct(status, POWER_RULES.suspend, vm, 'suspend', 'VirtualBox')) await ctx.driver.controlvm(vm, 'savestate', { timeoutMs: SAVE_TIMEOUT_MS, signal: options.signal });
}
