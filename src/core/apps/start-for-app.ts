import { isTwinboxError, type Clock } from '../../plugin-api/index.js';
import { readMaintenanceRecord } from '../maintenance/maintenance-record.js';
import type { Core } from '../open-core.js';
import { lockHolder } from '../workspace/lock.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { startWorkspace, type StartOptions, type StartResult } from '../workspace/start-workspace.js';

/** Operations over in moments (the host agent's close action and catalog refresh), after which the app can start the workspace. */
const BRIEF_OPERATIONS = new Set(['suspend', 'stop', 'app catalog refresh']);
const POLL_MS = 250;
const MAX_WAIT_MS = 120_000;

/**
 * Starts the workspace for an app. When the host agent (or a user) is suspending or stopping it
 * right then, or refreshing its catalog, waits for that to finish and starts it, rather than
 * failing busy: an app launched just as the close action fires must still run. Any other holder
 * fails busy at once. During a maintenance window it says so in one line and, as
 * maintenance.whenInUse says, waits for the window to end (`wait`) or goes ahead as soon as the
 * guest is up (`skip`: the window then leaves the workspace running for the app).
 */
export async function startForApp(core: Core, name: string, options: StartOptions, clock: Clock): Promise<StartResult> {
  let deadline = clock.now() + MAX_WAIT_MS;
  const { layout } = openWorkspace(core, name);
  const lockFile = layout.lockFile;
  let told = false;
  for (;;) {
    try {
      return await startWorkspace(core, name, options);
    } catch (error) {
      if (!isTwinboxError(error) || error.code !== 'busy') throw error;
      const holder = lockHolder(lockFile);
      const window = holder?.operation === 'maintenance' ? (await readMaintenanceRecord(layout)).current : undefined;
      if (window) {
        const goAhead = window.whenInUse === 'skip';
        if (!told) options.onProgress?.(`maintenance of ${name} is running: ${goAhead ? 'the app goes ahead alongside it' : `the app starts when it is done (by ${new Date(window.deadline).toLocaleTimeString()})`}`);
        told = true;
        if (goAhead && window.phase === 'commands') return { workspace: name, was: 'running' };
        deadline = Math.max(deadline, Date.parse(window.deadline) + MAX_WAIT_MS);
        if (clock.now() >= deadline) throw error;
        await clock.sleep(POLL_MS);
        continue;
      }
      if ((holder && !BRIEF_OPERATIONS.has(holder.operation)) || clock.now() >= deadline) throw error;
      if (holder) options.onProgress?.(`waiting for the ${holder.operation} in progress (process ${holder.pid}) to finish`);
      await clock.sleep(POLL_MS);
    }
  }
}
