import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VmRef, VmState, VmStatus } from 'twinbox/plugin-api';
import type { VBoxContext } from './context.js';
import { parseMachineReadable } from './machine-readable.js';
import { machineFolder, machineOf, vmName } from './names.js';
import { NOT_CREATED, statusFromInfo } from './state.js';
import { isMachineNotFound, toTwinboxError } from './vbox-errors.js';
import { vmProcessId } from './vm-pid.js';

export interface VmSnapshot {
  status: VmStatus;
  /** VirtualBox's own state name, for decisions the shared vocabulary hides (guru meditation). */
  raw?: string;
  /** Registered, but VirtualBox cannot read its settings. */
  inaccessible?: boolean;
  info: ReadonlyMap<string, string>;
}

/** States in which a VM process exists. */
const HAS_PROCESS: ReadonlySet<VmState> = new Set(['running', 'paused', 'starting', 'stopping', 'suspending']);

/**
 * VirtualBox keeps listing a VM whose settings file vanished, as "<inaccessible>". When the
 * file twinbox created is gone, the VM is gone; when it is there but unreadable, nobody knows.
 */
function inaccessible(vm: VmRef, info: ReadonlyMap<string, string>): VmSnapshot {
  const settings = join(machineFolder(vm), `${vmName(vm.id)}.vbox`);
  if (!existsSync(settings)) {
    return { status: { state: 'not-created', reason: `its settings file ${settings} is gone (VirtualBox still lists it as inaccessible)` }, inaccessible: true, info };
  }
  return { status: { state: 'unknown', reason: `VirtualBox cannot read its settings file ${settings} (inaccessible)` }, inaccessible: true, info };
}

/** Reads a VM's state; a VM VirtualBox reports as not found (and only that) is `not-created`. */
export async function readVm(ctx: VBoxContext, vm: VmRef, signal?: AbortSignal): Promise<VmSnapshot> {
  const args = ['showvminfo', machineOf(vm), '--machinereadable'];
  const outcome = await ctx.driver.attempt(args, { signal });
  if (!outcome.ok) {
    if (isMachineNotFound(outcome.failure)) return { status: NOT_CREATED, info: new Map() };
    throw toTwinboxError(outcome.failure, args);
  }
  const info = parseMachineReadable(outcome.stdout);
  if (info.get('name') === '<inaccessible>') return inaccessible(vm, info);
  const status = statusFromInfo(info);
  const logFolder = info.get('LogFldr');
  if (HAS_PROCESS.has(status.state) && logFolder) {
    const pid = vmProcessId(logFolder);
    if (pid !== undefined) status.pid = pid;
  }
  return { status, raw: info.get('VMState'), info };
}
