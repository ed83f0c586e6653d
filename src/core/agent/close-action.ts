import { isTwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { stopWorkspace } from '../workspace/stop-workspace.js';
import { suspendWorkspace } from '../workspace/suspend-workspace.js';

export type CloseAction = 'suspend' | 'shutdown' | 'power-off';

export interface CloseOutcome {
  action: CloseAction;
  /** What was done: a hypervisor that cannot suspend shuts the VM down instead. */
  done: 'suspended' | 'shut down' | 'powered off';
}

/** MED-V's close action on a workspace whose last app has exited. Takes the workspace's lock for its duration (busy: exit 75). */
export async function applyCloseAction(core: Core, name: string, action: CloseAction): Promise<CloseOutcome> {
  if (action === 'power-off') {
    await stopWorkspace(core, name, { force: true });
    return { action, done: 'powered off' };
  }
  if (action === 'suspend') {
    try {
      await suspendWorkspace(core, name);
      return { action, done: 'suspended' };
    } catch (error) {
      if (!isTwinboxError(error) || error.code !== 'suspend-unsupported') throw error;
    }
  }
  await stopWorkspace(core, name);
  return { action, done: 'shut down' };
}
