import type { VmRef, VmStatus } from 'twinbox/plugin-api';
import type { HyperVContext } from './context.js';
import { isVmNotFound, toTwinboxError } from './errors.js';
import { recordedVmId } from './names.js';
import { vmInfoScript } from './scripts/vm-info.js';
import { NOT_CREATED, statusFromInfo, type HyperVVmInfo } from './state.js';

export interface VmSnapshot {
  status: VmStatus;
  /** Hyper-V's own state name. */
  raw?: string;
  /** The VM's name now (the user may have renamed it in Hyper-V Manager). */
  name?: string;
}

/** Reads a VM's state; only the lookup's "no such VM" (never an empty answer without rights) is `not-created`. */
export async function readVm(ctx: HyperVContext, vm: VmRef): Promise<VmSnapshot> {
  const vmId = recordedVmId(vm);
  if (!vmId) return { status: { state: 'not-created', reason: 'it was never created in Hyper-V' } };
  const envelope = await ctx.driver.attempt(vmInfoScript(vmId), { action: 'read the VM state' });
  if (!envelope.ok) {
    if (isVmNotFound(envelope)) return { status: NOT_CREATED };
    throw toTwinboxError(envelope, 'read the VM state');
  }
  const info = (typeof envelope.value === 'object' && envelope.value !== null ? envelope.value : {}) as HyperVVmInfo & { ProcessId?: unknown; Name?: unknown };
  const status = statusFromInfo(info);
  // A Windows process id means nothing inside WSL, where it would name another process.
  if (ctx.host === 'windows' && typeof info.ProcessId === 'number' && info.ProcessId > 0) status.pid = info.ProcessId;
  return { status, raw: typeof info.State === 'string' ? info.State : undefined, name: typeof info.Name === 'string' && info.Name !== '' ? info.Name : undefined };
}
