import { join } from 'node:path';
import { acquireFileLock, TwinboxError, type HeldLock } from '../../plugin-api/index.js';
import type { TwinboxPaths } from '../paths.js';

export function agentLockFile(paths: TwinboxPaths): string {
  return join(paths.runtimeDir, 'agent.lock');
}

/**
 * One host agent per user (per TWINBOX_HOME): a pid file in the runtime folder, created
 * exclusively. A second agent is refused with exit 75 naming the first; the file of an agent
 * that died (kill -9, a crash, a reboot emptying the runtime folder) is recovered.
 */
export function acquireAgentLock(paths: TwinboxPaths, now: () => number): HeldLock {
  return acquireFileLock(agentLockFile(paths), 'host agent', {
    now,
    busy: (holder) =>
      new TwinboxError('agent-running', `a twinbox agent is already running for this user${holder ? ` (process ${holder.pid}, since ${holder.since})` : ''}`, {
        hint: 'one agent per user does all the work; stop it first (`systemctl --user stop twinbox-agent`) to run another',
        exit: 'busy',
      }),
  });
}
