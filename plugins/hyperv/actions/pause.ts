import { mustAct, POWER_RULES, type VmRef } from 'twinbox/plugin-api';
import { readVm, type HyperVContext } from '../provider.js';

export async function pause(ctx: HyperVContext, vm: VmRef): Promise<void> {
  const { status } = await readVm(ctx, vm);
  if (mustAct(status, POWER_RULES.pause, vm, 'pause', 'Hyper-V')) await ctx.driver.power(vm, 'pause');
}
