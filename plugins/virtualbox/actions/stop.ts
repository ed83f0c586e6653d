import { vmNotCreated, type StopOptions, type StopResult, type VmRef } from 'twinbox/plugin-api';
import { toTwinboxError } from '../driver/errors.js';
import { machineOf } from '../driver/names.js';
import { readVm, type VBoxContext } from '../provider.js';

const DEFAULT_STOP_TIMEOUT_MS = 60_000;
export const STOP_POLL_MS = 1000;

async function powerOff(ctx: VBoxContext, vm: VmRef, signal?: AbortSignal): Promise<StopResult> {
  const outcome = await ctx.driver.attempt(['controlvm', machineOf(vm), 'poweroff'], { signal });
  if (outcome.ok) return { how: 'forced' };
  // The guest may have finished shutting down between the last look and the power-off.
  const after = await readVm(ctx, vm, signal);
  if (after.status.state === 'stopped' || after.status.state === 'crashed' || after.status.state === 'not-created') return { how: 'graceful' };
  throw toTwinboxError(outcome.failure, ['controlvm', machineOf(vm), 'poweroff']);
}

/**
 * Asks the guest to shut down (ACPI power button) and waits for it, polling once a second,
 * then powers the VM off when the time is up. A suspended VM's saved state is discarded.
 */
export async function stop(ctx: VBoxContext, vm: VmRef, options: StopOptions = {}): Promise<StopResult> {
  const { signal } = options;
  const { status, raw } = await readVm(ctx, vm, signal);
  if (status.state === 'not-created') throw vmNotCreated(vm, 'VirtualBox');
  if (status.state === 'stopped' || (status.state === 'crashed' && raw !== 'gurumeditation')) return { how: 'already-stopped' };
  if (status.state === 'suspended') {
    await ctx.driver.exec(['discardstate', machineOf(vm)], { signal });
    return { how: 'forced' };
  }
  if (options.force || raw === 'gurumeditation') return powerOff(ctx, vm, signal);
  // A paused guest cannot react to the power button.
  if (status.state === 'paused') await ctx.driver.controlvm(vm, 'resume', { signal });
  await ctx.driver.controlvm(vm, 'acpipowerbutton', { signal });
  const deadline = ctx.clock.now() + (options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  while (ctx.clock.now() < deadline) {
    await ctx.clock.sleep(STOP_POLL_MS, signal);
    const { status: now } = await readVm(ctx, vm, signal);
    if (now.state === 'stopped' || now.state === 'crashed' || now.state === 'not-created') return { how: 'graceful' };
    options.onProgress?.({ message: `waiting for the guest to shut down (${now.state})` });
  }
  return powerOff(ctx, vm, signal);
}
