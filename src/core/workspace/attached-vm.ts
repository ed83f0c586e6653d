import { TwinboxError, type HypervisorPlugin, type VmRef } from '../../plugin-api/index.js';
import type { Workspace } from './open-workspace.js';
import type { WorkspaceEntry } from './registry.js';

export interface AttachedVm {
  hypervisor: HypervisorPlugin;
  vm: VmRef;
}

/** The workspace's VM and its hypervisor, or a one-line error saying what to do first. */
export async function attachedVm(ws: Workspace, entry: WorkspaceEntry = ws.entry()): Promise<AttachedVm> {
  if (!entry.vm || !entry.hypervisor) {
    throw new TwinboxError('workspace-not-set-up', `workspace "${ws.name}" has no VM yet: first-time setup has not run`, {
      hint: `run \`twinbox setup ${ws.name}\` (or \`twinbox start ${ws.name}\`, which sets it up first)`,
      exit: 'usage',
    });
  }
  return { hypervisor: await ws.core.plugins.hypervisor(entry.hypervisor), vm: entry.vm };
}

export function vmMissing(ws: Workspace, reason: string): TwinboxError {
  return new TwinboxError('vm-missing', `the VM of workspace "${ws.name}" is gone (${reason})`, {
    hint: `run \`twinbox reset ${ws.name}\` to make it again from the base image`,
  });
}
