import { TwinboxError, type OperationOptions, type StartOptions, type StopOptions, type StopResult, type VmRef, type VmState } from 'twinbox/plugin-api';
import type { VBoxContext } from './context.js';
import { machineOf } from './names.js';
import { toTwinboxError } from './vbox-errors.js';
import { readVm } from './vm-status.js';
import { screenBeforeStart } from './vrde.js';

const DEFAULT_START_TIMEOUT_MS = 120_000;
const DEFAULT_STOP_TIMEOUT_MS = 60_000;
const SAVE_TIMEOUT_MS = 10 * 60 * 1000;
export const STOP_POLL_MS = 1000;

export function notCreated(vm: VmRef): TwinboxError {
  return new TwinboxError('vm-not-found', `VirtualBox has no VM for ${vm.id}`, { hint: 'the VM was deleted outside twinbox; remove it from twinbox or create it again' });
}

function wrongState(vm: VmRef, action: string, state: VmState, reason: string): TwinboxError {
  return new TwinboxError('invalid-state', `cannot ${action} ${vm.id} while it is ${state} (${reason})`, {
    hint: 'wait until the VM has finished changing state, or start or stop it first',
    exit: 'busy',
  });
}

async function controlvm(ctx: VBoxContext, vm: VmRef, action: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  await ctx.driver.exec(['controlvm', machineOf(vm), action], options);
}

async function startvm(ctx: VBoxContext, vm: VmRef, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  // startvm returns once the VM process runs; a saved VM is restored by the same command.
  await ctx.driver.exec(['startvm', machineOf(vm), '--type', 'headless'], { timeoutMs, signal });
}

export async function start(ctx: VBoxContext, vm: VmRef, options: StartOptions = {}): Promise<void> {
  const { status, raw, info } = await readVm(ctx, vm, options.signal);
  const timeoutMs = options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  switch (status.state) {
    case 'running':
    case 'starting':
      return;
    case 'paused':
      await controlvm(ctx, vm, 'resume', { signal: options.signal });
      return;
    case 'not-created':
      throw notCreated(vm);
    case 'stopping':
    case 'suspending':
      throw wrongState(vm, 'start', status.state, status.reason);
    default:
      // A VM in guru meditation still holds its session; it must be powered off to restart.
      if (raw === 'gurumeditation') await controlvm(ctx, vm, 'poweroff', { signal: options.signal });
      await screenBeforeStart(ctx, vm, raw, info, options.signal);
      await startvm(ctx, vm, timeoutMs, options.signal);
  }
}

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
  if (status.state === 'not-created') throw notCreated(vm);
  if (status.state === 'stopped' || (status.state === 'crashed' && raw !== 'gurumeditation')) return { how: 'already-stopped' };
  if (status.state === 'suspended') {
    await ctx.driver.exec(['discardstate', machineOf(vm)], { signal });
    return { how: 'forced' };
  }
  if (options.force || raw === 'gurumeditation') return powerOff(ctx, vm, signal);
  // A paused guest cannot react to the power button.
  if (status.state === 'paused') await controlvm(ctx, vm, 'resume', { signal });
  await controlvm(ctx, vm, 'acpipowerbutton', { signal });
  const deadline = ctx.clock.now() + (options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  while (ctx.clock.now() < deadline) {
    await ctx.clock.sleep(STOP_POLL_MS, signal);
    const { status: now } = await readVm(ctx, vm, signal);
    if (now.state === 'stopped' || now.state === 'crashed' || now.state === 'not-created') return { how: 'graceful' };
    options.onProgress?.({ message: `waiting for the guest to shut down (${now.state})` });
  }
  return powerOff(ctx, vm, signal);
}

export async function pause(ctx: VBoxContext, vm: VmRef): Promise<void> {
  const { status } = await readVm(ctx, vm);
  if (status.state === 'paused') return;
  if (status.state === 'not-created') throw notCreated(vm);
  if (status.state !== 'running') throw wrongState(vm, 'pause', status.state, status.reason);
  await controlvm(ctx, vm, 'pause');
}

export async function suspend(ctx: VBoxContext, vm: VmRef, options: OperationOptions = {}): Promise<void> {
  const { status } = await readVm(ctx, vm, options.signal);
  if (status.state === 'suspended') return;
  if (status.state === 'not-created') throw notCreated(vm);
  if (status.state !== 'running' && status.state !== 'paused') throw wrongState(vm, 'suspend', status.state, status.reason);
  await controlvm(ctx, vm, 'savestate', { timeoutMs: SAVE_TIMEOUT_MS, signal: options.signal });
}

export async function resume(ctx: VBoxContext, vm: VmRef, options: OperationOptions = {}): Promise<void> {
  const { status } = await readVm(ctx, vm, options.signal);
  switch (status.state) {
    case 'running':
      return;
    case 'paused':
      await controlvm(ctx, vm, 'resume', { signal: options.signal });
      return;
    case 'suspended':
      await startvm(ctx, vm, DEFAULT_START_TIMEOUT_MS, options.signal);
      return;
    case 'not-created':
      throw notCreated(vm);
    default:
      throw wrongState(vm, 'resume', status.state, status.reason);
  }
}
