import { TwinboxError } from './errors.js';
import type { DiskFormat, ImportedImage, VmRef, VmSpec, VmState, VmStatus } from './hypervisor.js';
import { NAME_PATTERN } from './manifest.js';

/**
 * The checks every hypervisor plugin makes before it acts, with the same codes and words in
 * each: `defineHypervisorPlugin` applies the spec checks to `create`; a plugin's actions call
 * the others. `hypervisor` is the plugin's display name ("VirtualBox").
 */

/** What a hypervisor can give one VM, checked before `create` runs. */
export interface SpecLimits {
  /** Most virtual CPUs (the least is 1). */
  cpus: number;
  /** Least memory, and the step it is assigned in (Hyper-V: 2 MiB). */
  memoryMiB: { min: number; step?: number };
  /** Most channels, and what each one is on the hypervisor ("serial ports"). */
  channels?: { max: number; as: string };
}

function invalidSpec(message: string, hint = 'change the VM settings'): TwinboxError {
  return new TwinboxError('invalid-spec', message, { hint, exit: 'usage' });
}

export function checkSpecLimits(spec: VmSpec, limits: SpecLimits, hypervisor: string): void {
  if (!Number.isInteger(spec.cpus) || spec.cpus < 1 || spec.cpus > limits.cpus) {
    throw invalidSpec(`cpus must be a whole number from 1 to ${limits.cpus}, not ${spec.cpus}`);
  }
  const { min, step } = limits.memoryMiB;
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB < min || (step !== undefined && spec.memoryMiB % step !== 0)) {
    throw invalidSpec(`memory must be a whole number of MiB${step === undefined ? '' : ` in steps of ${step}`}, at least ${min}, not ${spec.memoryMiB}`);
  }
  const channels = limits.channels;
  if (channels && spec.channels.length > channels.max) {
    throw invalidSpec(`${hypervisor} offers ${channels.max} ${channels.as}; ${spec.channels.length} channels were asked for`, `use at most ${channels.max} channels`);
  }
}

/** `create` is given a base in one of the formats it takes (`createFormats`); any other is imported first. */
export function checkCreateFormat(image: ImportedImage, createFormats: readonly DiskFormat[], hypervisor: string): void {
  if (createFormats.includes(image.format)) return;
  throw new TwinboxError('image-not-imported', `${hypervisor} makes VMs from ${createFormats.join(' or ')} images; the base image ${image.path} is ${image.format}`, {
    hint: 'import the image with this plugin first (importImage)',
  });
}

/** A VM id: lowercase letters, digits and dashes, as every twinbox name. */
export function checkVmId(id: string): void {
  if (!NAME_PATTERN.test(id)) {
    throw new TwinboxError('invalid-name', `"${id}" is not a valid VM id`, { hint: 'use lowercase letters, digits and dashes, starting with a letter (at most 40)', exit: 'usage' });
  }
}

// No path separators, no option-like leading dash, nothing that needs quoting anywhere.
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A snapshot name every hypervisor takes; `noun` is what the hypervisor calls them ("checkpoint"). */
export function checkSnapshotName(name: string, noun = 'snapshot'): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new TwinboxError('invalid-snapshot-name', `"${name}" is not a usable ${noun} name`, {
      hint: 'use letters, digits, dots, dashes and underscores (1–64 characters, starting with a letter or digit)',
      exit: 'usage',
    });
  }
}

export function checkGuestPort(guestPort: number): void {
  if (!Number.isInteger(guestPort) || guestPort < 1 || guestPort > 65535) {
    throw new TwinboxError('invalid-argument', `${guestPort} is not a TCP port (1–65535)`, { hint: 'ask for a whole number from 1 to 65535', exit: 'usage' });
  }
}

/** The hypervisor no longer has the VM twinbox made. */
export function vmNotCreated(vm: VmRef, hypervisor: string): TwinboxError {
  return new TwinboxError('vm-not-found', `${hypervisor} has no VM for ${vm.id}`, { hint: 'the VM was deleted outside twinbox; remove it from twinbox or create it again' });
}

export function vmInWrongState(vm: VmRef, action: string, status: VmStatus): TwinboxError {
  return new TwinboxError('invalid-state', `cannot ${action} ${vm.id} while it is ${status.state} (${status.reason})`, {
    hint: 'wait until the VM has finished changing state, or start or stop it first',
    exit: 'busy',
  });
}

/** When a power action acts: not in a `done` state (already there), and only `from` the states it can leave. */
export interface PowerRule {
  done: readonly VmState[];
  from: readonly VmState[];
}

/**
 * The guard of a power action (start, pause, suspend, resume): false when the VM is already
 * where the action leads, true when the action must run; a VM that is gone or in a state the
 * action cannot start from is an error.
 */
export function mustAct(status: VmStatus, rule: PowerRule, vm: VmRef, action: string, hypervisor: string): boolean {
  if (rule.done.includes(status.state)) return false;
  if (status.state === 'not-created') throw vmNotCreated(vm, hypervisor);
  if (!rule.from.includes(status.state)) throw vmInWrongState(vm, action, status);
  return true;
}

/** The rules VMs follow on every hypervisor; a plugin may pass its own where its tool differs. */
export const POWER_RULES = {
  /** A paused VM is resumed; a stopping or suspending one must finish first. */
  start: { done: ['running', 'starting'], from: ['stopped', 'suspended', 'crashed', 'unknown', 'paused'] },
  pause: { done: ['paused'], from: ['running'] },
  suspend: { done: ['suspended'], from: ['running', 'paused'] },
  resume: { done: ['running'], from: ['paused', 'suspended'] },
} as const satisfies Record<string, PowerRule>;
