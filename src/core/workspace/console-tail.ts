import { EventCodes } from '../events/codes.js';
import type { AttachedVm } from './attached-vm.js';
import type { Workspace } from './open-workspace.js';

/**
 * Writes the last lines the guest printed on its console to the workspace's event log: when
 * its agent does not answer, they are the best clue why (a kernel panic, an agent that fails
 * to start, a boot waiting for a disk). Hypervisors that capture no console add nothing.
 */
export async function logConsoleTail(ws: Workspace, target: AttachedVm): Promise<void> {
  const tail = await target.hypervisor.consoleTail?.(target.vm).catch(() => undefined);
  if (tail) ws.events.event('warn', EventCodes.vmConsoleTail, `the guest console's last lines:\n${tail}`, { console: tail });
}
