import { vmNotCreated, type StopOptions, type StopResult, type VmRef } from 'twinbox/plugin-api';
import { toTwinboxError } from '../driver/errors.js';
import { readVm, type HyperVContext } from '../provider.js';

const DEFAULT_STOP_TIMEOUT_MS = 60_000;
export const STOP_POLL_MS = 1000;

async function turnOff(ctx: HyperVContext, vm: VmRef): Promise<StopResult> {
  const envelope = await ctx.driver.attemptPower(vm, 'turn-off');
  if (envelope.ok) return { how: 'forced' };
  // The guest may have finished shutting down between the last look and the turn-off.
  const after = await readVm(ctx, vm);
  if (after.status.state === 'stopped' || after.status.state === 'not-created') return { how: 'graceful' };
  throw toTwinboxError(envelope, 'turn the VM off');
}

/**
 * Asks the guest to shut down (integration services) and watches the state once a second
 * until the timeout, then turns the VM off. A saved VM's state is discarded.
 */
export async function stop(ctx: HyperVContext, vm: VmRef, options: StopOptions = {}): Promise<StopResult> {
  const { status, raw } = await readVm(ctx, vm);
  if (status.state === 'not-created') throw vmNotCreated(vm, 'Hyper-V');
  if (status.state === 'stopped' || (status.state === 'crashed' && raw?.startsWith('Off'))) return { how: 'already-stopped' };
  if (status.state === 'suspended') {
    await ctx.driver.power(vm, 'discard-saved-state');
    return { how: 'forced' };
  }
  if (options.force || status.state === 'crashed') return turnOff(ctx, vm);
  // A paused guest cannot run its shutdown.
  if (status.state === 'paused') await ctx.driver.power(vm, 'resume');
  await ctx.driver.power(vm, 'shutdown');
  const deadline = ctx.clock.now() + (options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  while (ctx.clock.now() < deadline) {
    await ctx.clock.sleep(STOP_POLL_MS, options.signal);
    const { status: now } = await readVm(ctx, vm);
    if (now.state === 'stopped' || now.state === 'not-created') return { how: 'graceful' };
    options.onProgress?.({ message: `waiting for the guest to shut down (${now.state})` });
  }
  return turnOff(ctx, vm);
}
