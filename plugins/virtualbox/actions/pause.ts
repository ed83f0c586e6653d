import { mustAct, POWER_RULES, type VmRef } from 'twinbox/plugin-api';
import { readVm, type VBoxContext } from '../provider.js';

export async function pause(ctx: VBoxContext, vm: VmRef): Promise<void> {
  const { status } = await readVm(ctx, vm);
  if (mustAct(status, POWER_RULES.pause, vm, 'pause', 'VirtualBox')) await ctx.driver.controlvm(vm, 'pause');
}
