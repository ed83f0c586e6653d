import { TwinboxError, type StartOptions, type StopOptions, type StopResult, type VmRef, type VmState } from 'twinbox/plugin-api';
import type { HyperVContext } from './context.js';
import { toTwinboxError } from './errors.js';
import { vmIdOf } from './names.js';
import { powerScript, type PowerAction } from './scripts/power.js';
import { readVm } from './vm-status.js';

const DEFAULT_START_TIMEOUT_MS = 120_000;
const DEFAULT_STOP_TIMEOUT_MS = 60_000;
const SAVE_TIMEOUT_MS = 10 * 60 * 1000;
export const STOP_POLL_MS = 1000;

const ACTIONS: Readonly<Record<PowerAction, string>> = {
  start: 'start the VM',
  shutdown: 'shut the VM down',
  'turn-off': 'turn the VM off',
  pause: 'pause the VM',
  save: 'save the VM',
  resume: 'resume the VM',
  'discard-saved-state': "discard the VM's saved state",
};

export function notCreated(vm: VmRef): TwinboxError {
  return new TwinboxError('vm-not-found', `Hyper-V has no VM for ${vm.id}`, { hint: 'the VM was deleted outside twinbox; remove it from twinbox or create it again' });
}

function wrongState(vm: VmRef, action: string, state: VmState, reason: string): TwinboxError {
  return new TwinboxError('invalid-state', `cannot ${action} ${vm.id} while it is ${state} (${reason})`, {
    hint: 'wait until the VM has finished changing state, or start or stop it first',
    exit: 'busy',
  });
}

async function power(ctx: HyperVContext, vm: VmRef, action: PowerAction, timeoutMs?: number): Promise<void> {
  await ctx.driver.invoke(powerScript(vmIdOf(vm), action), { action: ACTIONS[action], timeoutMs });
}

export async function start(ctx: HyperVContext, vm: VmRef, options: StartOptions = {}): Promise<void> {
  const { status } = await readVm(ctx, vm);
  switch (status.state) {
    case 'running':
    case 'starting':
      return;
    case 'paused':
      await power(ctx, vm, 'resume');
      return;
    case 'not-created':
      throw notCreated(vm);
    case 'stopping':
    case 'suspending':
      throw wrongState(vm, 'start', status.state, status.reason);
    default:
      // Start-VM returns once the VM runs, restoring a saved one.
      await power(ctx, vm, 'start', options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  }
}

async function turnOff(ctx: HyperVContext, vm: VmRef): Promise<StopResult> {
  const envelope = await ctx.driver.attempt(powerScript(vmIdOf(vm), 'turn-off'), { action: ACTIONS['turn-off'] });
  if (envelope.ok) return { how: 'forced' };
  // The guest may have finished shutting down between the last look and the turn-off.
  const after = await readVm(ctx, vm);
  if (after.status.state === 'stopped' || after.status.state === 'not-created') return { how: 'graceful' };
  throw toTwinboxError(envelope, ACTIONS['turn-off']);
}

/**
 * Asks the guest to shut down (integration services) and watches the state once a second
 * until the timeout, then turns the VM off. A saved VM's state is discarded.
 */
export async function stop(ctx: HyperVContext, vm: VmRef, options: StopOptions = {}): Promise<StopResult> {
  const { status, raw } = await readVm(ctx, vm);
  if (status.state === 'not-created') throw notCreated(vm);
  if (status.state === 'stopped' || (status.state === 'crashed' && raw?.startsWith('Off'))) return { how: 'already-stopped' };
  if (status.state === 'suspended') {
    await power(ctx, vm, 'discard-saved-state');
    return { how: 'forced' };
  }
  if (options.force || status.state === 'crashed') return turnOff(ctx, vm);
  // A paused guest cannot run its shutdown.
  if (status.state === 'paused') await power(ctx, vm, 'resume');
  await power(ctx, vm, 'shutdown');
  const deadline = ctx.clock.now() + (options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  while (ctx.clock.now() < deadline) {
    await ctx.clock.sleep(STOP_POLL_MS, options.signal);
    const { status: now } = await readVm(ctx, vm);
    if (now.state === 'stopped' || now.state === 'not-created') return { how: 'graceful' };
    options.onProgress?.({ message: `waiting for the guest to shut down (${now.state})` });
  }
  return turnOff(ctx, vm);
}

export async function pause(ctx: HyperVContext, vm: VmRef): Promise<void> {
  const { status } = await readVm(ctx, vm);
  if (status.state === 'paused') return;
  if (status.state === 'not-created') throw notCreated(vm);
  if (status.state !== 'running') throw wrongState(vm, 'pause', status.state, status.reason);
  await power(ctx, vm, 'pause');
}

export async function suspend(ctx: HyperVContext, vm: VmRef): Promise<void> {
  const { status } = await readVm(ctx, vm);
  if (status.state === 'suspended') return;
  if (status.state === 'not-created') throw notCreated(vm);
  if (status.state !== 'running' && status.state !== 'paused') throw wrongState(vm, 'suspend', status.state, status.reason);
  await power(ctx, vm, 'save', SAVE_TIMEOUT_MS);
}

export async function resume(ctx: HyperVContext, vm: VmRef): Promise<void> {
  const { status } = await readVm(ctx, vm);
  switch (status.state) {
    case 'running':
      return;
    case 'paused':
      await power(ctx, vm, 'resume');
      return;
    case 'suspended':
      await power(ctx, vm, 'start', DEFAULT_START_TIMEOUT_MS);
      return;
    case 'not-created':
      throw notCreated(vm);
    default:
      throw wrongState(vm, 'resume', status.state, status.reason);
  }
}
