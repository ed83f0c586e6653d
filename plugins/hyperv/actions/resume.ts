import { mustAct, POWER_RULES, type VmRef } from 'twinbox/plugin-api';
import { readVm, type HyperVContext } from '../provider.js';
import { DEFAULT_START_TIMEOUT_MS } from './start.js';

/** Resume-VM for a paused VM; a saved one is started from its saved state. Neither can be interrupted half-way. */
export async function resume(ctx: HyperVContext, vm: VmRef): Promise<void> {
  const { status } = await readVm(ctx, vm);
  if (!mustAct(status, POWER_RULES.resume, vm, 'resume', 'Hyper-V')) return;
  if (status.state === 'paused') await ctx.driver.power(vm, 'resume');
  else await ctx.driver.power(vm, 'start', DEFAULT_START_TIMEOUT_MS);
}
