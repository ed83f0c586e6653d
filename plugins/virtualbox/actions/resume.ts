import { mustAct, POWER_RULES, type OperationOptions, type VmRef } from 'twinbox/plugin-api';
import { readVm, type VBoxContext } from '../provider.js';

/** A paused VM runs on; a saved one is started from its saved state. */
export async function resume(ctx: VBoxContext, vm: VmRef, options: OperationOptions = {}): Promise<void> {
  const { signal } = options;
  const { status } = await readVm(ctx, vm, signal);
  if (!mustAct(status, POWER_RULES.resume, vm, 'resume', 'VirtualBox')) return;
  if (status.state === 'paused') await ctx.driver.controlvm(vm, 'resume', { signal });
  else await ctx.driver.startvm(vm, { signal });
}
