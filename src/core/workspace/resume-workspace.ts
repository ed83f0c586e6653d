import { TwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { attachedVm, vmMissing } from './attached-vm.js';
import { withWorkspaceLock } from './workspace-lock.js';
import { openWorkspace } from './open-workspace.js';
import { bringUp, type LifecycleOptions } from './start-workspace.js';
import type { WorkspaceState } from './workspace-status.js';

/** Resumes a suspended or paused workspace; a stopped one is refused (starting it boots afresh, which is `start`'s job). */
export async function resumeWorkspace(core: Core, name: string, options: LifecycleOptions = {}): Promise<{ workspace: string; was: WorkspaceState }> {
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'resume', async () => {
    const target = await attachedVm(ws);
    const before = await target.hypervisor.state(target.vm);
    if (before.state === 'not-created') throw vmMissing(ws, before.reason);
    if (!['running', 'paused', 'suspended'].includes(before.state)) {
      throw new TwinboxError('vm-not-suspended', `workspace "${name}" is ${before.state}, not suspended or paused`, {
        hint: `start it with \`twinbox start ${name}\``,
      });
    }
    return { workspace: name, was: await bringUp(ws, options) };
  });
}
