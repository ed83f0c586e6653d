import { mustAct, POWER_RULES, type StartOptions, type VmRef } from 'twinbox/plugin-api';
import { screenBeforeStart } from '../driver/vrde.js';
import { readVm, type VBoxContext } from '../provider.js';

/** Starts a stopped, saved or crashed VM headless; a paused one is resumed. */
export async function start(ctx: VBoxContext, vm: VmRef, options: StartOptions = {}): Promise<void> {
  const { signal } = options;
  const { status, raw, info } = await readVm(ctx, vm, signal);
  if (!mustAct(status, POWER_RULES.start, vm, 'start', 'VirtualBox')) return;
  if (status.state === 'paused') {
    await ctx.driver.controlvm(vm, 'resume', { signal });
    return;
  }
  // A VM in guru meditation still holds its session; it must be powered off to restart.
  if (raw === 'gurumeditation') await ctx.driver.controlvm(vm, 'poweroff', { signal });
  await screenBeforeStart(ctx.driver, ctx.logger, vm, raw, info, signal);
  await ctx.driver.startvm(vm, { timeoutMs: options.timeoutMs, signal });
}
