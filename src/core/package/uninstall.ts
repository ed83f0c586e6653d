import { rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import type { TwinboxPaths } from '../paths.js';
import { removeUninstalledShims } from '../publishing/sync-shims.js';
import { CoreTokens } from '../tokens.js';
import { crashPoint } from '../workspace/crash-points.js';
import { workspaceLayout } from '../workspace/layout.js';
import { acquireLock } from '../workspace/lock.js';
import { WorkspaceRegistry, type WorkspaceEntry } from '../workspace/registry.js';
import { systemDirOf } from '../system/system-dir.js';
import { findSystemWorkspace } from '../system/system-registry.js';
import { refuseMachineWideUninstall } from '../system/uninstall-system.js';
import { insideStore } from './install/commit.js';
import { findInstalled } from './install/installed-entry.js';
import { recordPackageEvent } from './install/package-events.js';
import type { UninstallOptions, UninstallResult } from './uninstall-result.js';

function notInstalled(name: string): TwinboxError {
  return new TwinboxError('workspace-not-found', `no workspace named "${name}" is installed`, {
    hint: 'run `twinbox status` to list the installed workspaces',
    exit: 'usage',
  });
}

async function removeVm(core: Core, entry: WorkspaceEntry): Promise<UninstallResult['removedVm']> {
  if (!entry.vm || !entry.hypervisor) return undefined;
  const hypervisor = await core.plugins.hypervisor(entry.hypervisor);
  // A VM already gone (removed by hand, a hypervisor reinstall) is not a reason to fail.
  if ((await hypervisor.state(entry.vm)).state !== 'not-created') await hypervisor.remove(entry.vm);
  return { hypervisor: entry.hypervisor, id: entry.vm.id };
}

/**
 * Uninstalls a workspace under its lock: removes its VM through its hypervisor plugin, then
 * the installed package (and an upgrade's old version), then the user's workspace folder
 * unless kept, the registry entry before the folder (a start racing the uninstall then stops,
 * exit 2). An uninstall interrupted before the entry went can simply be run again; after, only
 * the folder is left, which the next install of the name reuses.
 * Removing the VM also removes its overlay disk: it cannot be used without the base image.
 */
export async function uninstallWorkspace(core: Core, name: string, options: UninstallOptions = {}): Promise<UninstallResult> {
  const paths = core.container.resolve<TwinboxPaths>(CoreTokens.Paths);
  const found = findInstalled(paths, name);
  if (!found || found.scope === 'system') {
    const env = core.container.resolve<NodeJS.ProcessEnv>(CoreTokens.Environment);
    // This user's leftovers of a machine-wide workspace an admin has removed are theirs to remove.
    if (findSystemWorkspace(systemDirOf(env), name)) refuseMachineWideUninstall(core, name);
  }
  if (!found) throw notInstalled(name);
  const layout = workspaceLayout(paths, name, found.version);
  const lock = acquireLock(layout.lockFile, name, 'uninstall');
  try {
    const entry = findInstalled(paths, name);
    if (!entry) throw notInstalled(name);
    // Marked first: a crash from here on leaves an entry that says an uninstall is to be finished.
    new WorkspaceRegistry(paths.dataDir).update(name, (current) => ({ ...current, uninstalling: new Date().toISOString() }));
    crashPoint('uninstall:marked');
    let removedVm: UninstallResult['removedVm'];
    let abandonedVm: UninstallResult['abandonedVm'];
    try {
      removedVm = await removeVm(core, entry);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      if (!options.force) {
        // Nothing was removed: the workspace is as it was, not half uninstalled.
        new WorkspaceRegistry(paths.dataDir).update(name, ({ uninstalling: _, ...current }) => current);
        throw new TwinboxError('uninstall-vm-failed', `the VM of workspace "${name}" could not be removed: ${problem}`, {
          hint: `run \`twinbox uninstall ${name} --force\` to remove the workspace anyway (its VM's files go with its folder)`,
          cause: error,
          details: { workspace: name, problem },
        });
      }
      abandonedVm = { hypervisor: entry.hypervisor!, id: entry.vm!.id, problem };
    }
    crashPoint('uninstall:vm-removed');
    const storeDirs = [entry.storeDir, ...(entry.replacing ? [entry.replacing.storeDir] : [])].filter((dir) => insideStore(paths, dir));
    for (const dir of storeDirs) {
      await rm(dir, { recursive: true, force: true });
      await rmdir(dirname(dir)).catch(() => undefined);
    }
    crashPoint('uninstall:store-removed');
    // The entry goes before the folder (and the lock in it): a mutation that opened the
    // workspace just before and takes a fresh lock once the folder is gone finds no entry and
    // stops, instead of working in a re-created folder.
    new WorkspaceRegistry(paths.dataDir).remove(name);
    crashPoint('uninstall:entry-removed');
    if (!options.keepUserData) await rm(layout.workspaceDir, { recursive: true, force: true });
    else if (abandonedVm) await rm(layout.vmDir, { recursive: true, force: true });
    crashPoint('uninstall:folder-removed');
    recordPackageEvent(
      core,
      'info',
      'packageUninstalled',
      `${name} ${entry.version} uninstalled${options.keepUserData ? '; the workspace folder was kept' : ''}`,
      {
        name,
        version: entry.version,
        ...(removedVm ? { vm: removedVm.id, hypervisor: removedVm.hypervisor } : {}),
        ...(abandonedVm ? { abandonedVm } : {}),
        keptUserData: options.keepUserData ?? false,
      },
      options.keepUserData ? layout.eventsFile : undefined,
    );
    const removedShims = await removeUninstalledShims(core, name);
    return { name, version: entry.version, removedVm, ...(abandonedVm ? { abandonedVm } : {}), removedStoreDirs: storeDirs, workspaceDir: { path: layout.workspaceDir, kept: options.keepUserData ?? false }, removedShims };
  } finally {
    lock.release();
  }
}
