import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { findInstalled } from '../package/install/installed-entry.js';
import { recordPackageEvent } from '../package/install/package-events.js';
import { removeUninstalledShims } from '../publishing/sync-shims.js';
import type { UninstallResult } from '../package/uninstall-result.js';
import { storeRoot, workspaceLayout } from '../workspace/layout.js';
import { acquireLock } from '../workspace/lock.js';
import { WorkspaceRegistry } from '../workspace/registry.js';
import { requireAdmin } from './admin.js';
import { adminCheckOf, systemPathsOf } from './system-context.js';
import { shareSystemFolder } from './system-folder.js';

/**
 * A machine-wide workspace is not the caller's to uninstall like their own: an admin is told
 * to add --system (exit 2), anyone else that only an admin may (exit 4).
 */
export function refuseMachineWideUninstall(core: Core, name: string): never {
  const check = adminCheckOf(core);
  requireAdmin(check, `uninstall the machine-wide workspace "${name}"`, `run \`sudo twinbox uninstall --system ${name}\``);
  throw new TwinboxError('workspace-machine-wide', `"${name}" is installed machine-wide`, {
    exit: 'usage',
    hint: `run \`twinbox uninstall --system ${name}\` to remove it for every user`,
  });
}

/**
 * `uninstall --system`: removes a machine-wide workspace for every user, under its system
 * lock: every version of its package, its system folder, then the registry entry. Users' VMs
 * on it can no longer start; `twinbox status` tells each user how to remove theirs.
 */
export async function uninstallSystemWorkspace(core: Core, name: string): Promise<UninstallResult> {
  const check = adminCheckOf(core);
  requireAdmin(check, `uninstall the machine-wide workspace "${name}"`, `run \`sudo twinbox uninstall --system ${name}\``);
  const paths = systemPathsOf(core);
  const found = findInstalled(paths, name);
  if (!found) {
    throw new TwinboxError('workspace-not-found', `no machine-wide workspace named "${name}" is installed`, {
      hint: 'run `twinbox status` to list the installed workspaces (scope system)',
      exit: 'usage',
    });
  }
  const layout = workspaceLayout(paths, name, found.version);
  const storeDir = join(storeRoot(paths), name);
  const lock = acquireLock(layout.lockFile, name, 'uninstall');
  try {
    await rm(storeDir, { recursive: true, force: true });
    await rm(layout.workspaceDir, { recursive: true, force: true });
    new WorkspaceRegistry(paths.dataDir, { shared: true }).remove(name);
    recordPackageEvent(core, 'info', 'systemWorkspaceUninstalled', `${name} ${found.version} uninstalled machine-wide`, { name, version: found.version, storeDir });
  } finally {
    lock.release();
    shareSystemFolder(check.systemDir);
  }
  // Other users' shims of it go at their next sync, when the workspace is no longer theirs to use.
  const removedShims = await removeUninstalledShims(core, name);
  return { name, version: found.version, removedStoreDirs: [storeDir], workspaceDir: { path: layout.workspaceDir, kept: false }, removedShims };
}
