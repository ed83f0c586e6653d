import { existsSync, rmdirSync } from 'node:fs';
import { TwinboxError } from '../../plugin-api/index.js';
import { acquireLock } from './lock.js';
import type { Workspace } from './open-workspace.js';

function workspaceGone(name: string): TwinboxError {
  return new TwinboxError('workspace-gone', `workspace "${name}" was uninstalled while this command was getting to it`, {
    hint: 'run `twinbox status` to list the installed workspaces; install it again to use it',
    exit: 'usage',
    details: { workspace: name },
  });
}

export function uninstallInterrupted(name: string): TwinboxError {
  return new TwinboxError('workspace-uninstalling', `an uninstall of workspace "${name}" was interrupted`, {
    hint: `run \`twinbox uninstall ${name}\` to finish it`,
    exit: 'usage',
    details: { workspace: name },
  });
}

/**
 * A mutation of one installed workspace under its lock. The lock file lives in the workspace's
 * folder, which an uninstall removes: a mutation that opened the workspace just before must
 * not take a fresh lock in a re-created folder and work on what is gone. So the entry is read
 * again once the lock is held (uninstall removes it before the folder) and, if it is gone, the
 * command stops with exit 2 and the folder it had to create goes again.
 */
export async function withWorkspaceLock<T>(ws: Workspace, operation: string, body: () => Promise<T>): Promise<T> {
  const dir = ws.layout.workspaceDir;
  const created = !existsSync(dir);
  if (created && !ws.registry.find(ws.name)) throw workspaceGone(ws.name);
  const lock = acquireLock(ws.layout.lockFile, ws.name, operation);
  try {
    const entry = ws.registry.find(ws.name);
    if (!entry) throw workspaceGone(ws.name);
    if (entry.uninstalling) throw uninstallInterrupted(ws.name);
    return await body();
  } finally {
    lock.release();
    if (created && !ws.registry.find(ws.name)) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty (someone else's files) or already gone: left alone.
      }
    }
  }
}
