import type { StopResult } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { withWorkspaceLock } from './workspace-lock.js';
import { openWorkspace } from './open-workspace.js';
import { bringUp } from './start-workspace.js';
import { shutDown, type StopOptions, type StopVia } from './stop-workspace.js';

/** Reboots the guest: a graceful shutdown (forced after the time limit), then a fresh start. */
export async function restartWorkspace(core: Core, name: string, options: StopOptions = {}): Promise<{ workspace: string; stopped: StopResult['how']; stoppedVia?: StopVia }> {
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'restart', async () => {
    const { how: stopped, via } = await shutDown(ws, options);
    await bringUp(ws, options);
    ws.events.event('info', EventCodes.vmRestarted, `the workspace restarted (shutdown: ${stopped}${via ? `, ${via}` : ''})`);
    return via ? { workspace: name, stopped, stoppedVia: via } : { workspace: name, stopped };
  });
}
