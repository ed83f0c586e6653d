import { TwinboxError } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { attachedVm, vmMissing } from './attached-vm.js';
import { withWorkspaceLock } from './workspace-lock.js';
import { openWorkspace } from './open-workspace.js';

/** A snapshot name every built-in hypervisor accepts: `snap-20261201-074501`. */
export function snapshotName(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `snap-${stamp}`;
}

/** Takes a snapshot of the workspace's VM under its lock, named by the time unless a name is given. */
export async function snapshotWorkspace(core: Core, name: string, snapshot?: string): Promise<{ workspace: string; snapshot: string }> {
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'snapshot', async () => {
    const target = await attachedVm(ws);
    if (!target.hypervisor.capabilities().snapshots) {
      throw new TwinboxError('snapshots-unsupported', `the ${target.hypervisor.displayName} hypervisor cannot take snapshots`, { exit: 'usage' });
    }
    const before = await target.hypervisor.state(target.vm);
    if (before.state === 'not-created') throw vmMissing(ws, before.reason);
    const chosen = snapshot ?? snapshotName(ws.clock.now());
    await target.hypervisor.createSnapshot(target.vm, chosen);
    ws.events.write('info', 'vm', `took snapshot "${chosen}"`, { snapshot: chosen });
    return { workspace: name, snapshot: chosen };
  });
}
