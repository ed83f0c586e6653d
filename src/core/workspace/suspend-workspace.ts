import { TwinboxError } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import { unmountBeforeSuspend } from '../redirection/workspace-shares.js';
import type { Core } from '../open-core.js';
import { attachedVm, vmMissing } from './attached-vm.js';
import { withWorkspaceLock } from './workspace-lock.js';
import { openWorkspace } from './open-workspace.js';
import type { WorkspaceState } from './workspace-status.js';

/** Saves the VM's memory to disk and stops it (MED-V's default close action); the next start or resume restores it. */
export async function suspendWorkspace(core: Core, name: string): Promise<{ workspace: string; was: WorkspaceState }> {
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'suspend', async () => {
    const target = await attachedVm(ws);
    const before = await target.hypervisor.state(target.vm);
    if (before.state === 'not-created') throw vmMissing(ws, before.reason);
    if (before.state === 'suspended') return { workspace: name, was: before.state };
    if (before.state !== 'running' && before.state !== 'paused') {
      throw new TwinboxError('vm-not-running', `workspace "${name}" is ${before.state}, so there is nothing to suspend`, {
        hint: `start it with \`twinbox start ${name}\``,
      });
    }
    if (!target.hypervisor.capabilities().suspend) {
      throw new TwinboxError('suspend-unsupported', `the ${target.hypervisor.displayName} hypervisor cannot suspend VMs`, {
        hint: `stop it instead with \`twinbox stop ${name}\``,
        exit: 'usage',
      });
    }
    await unmountBeforeSuspend(ws, target.vm, before.state);
    await target.hypervisor.suspend(target.vm);
    ws.events.event('info', EventCodes.vmSuspended, 'the VM was suspended (memory saved to disk)');
    return { workspace: name, was: before.state };
  });
}
