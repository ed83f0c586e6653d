import { mustAct, POWER_RULES, type StartOptions, type VmRef } from 'twinbox/plugin-api';
import { readVm, type HyperVContext } from '../provider.js';

export const DEFAULT_START_TIMEOUT_MS = 120_000;

/** Start-VM returns once the VM runs, restoring a saved one; a paused one is resumed. */
export async function start(ctx: HyperVContext, vm: VmRef, options: StartOptions = {}): Promise<void> {
  const { status } = await readVm(ctx, vm);
  if (!mustAct(status, POWER_RULES.start, vm, 'start', 'Hyper-V')) return;
  if (status.state === 'paused') await ctx.driver.power(vm, 'resume');
  else await ctx.driver.power(vm, 'start', options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS);
}
