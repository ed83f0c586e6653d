import { mustAct, POWER_RULES, type VmRef } from 'twinbox/plugin-api';
import { readVm, type HyperVContext } from '../provider.js';

const SAVE_TIMEOUT_MS = 10 * 60 * 1000;

/** Save-VM: the memory goes to disk and the VM stops. It cannot be interrupted half-way, so no signal is passed on. */
export async function suspend(ctx: HyperVContext, vm: VmRef): Promise<void> {
  const { status } = await readVm(ctx, vm);
  if (mustAct(status, POWER_RULES.suspend, vm, 'suspend', 'Hyper-V')) await ctx.driver.power(vm, 'save', SAVE_TIMEOUT_MS);
}
