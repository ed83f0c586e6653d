import { existsSync } from 'node:fs';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { TwinboxError } from '../../../plugin-api/index.js';
import type { Core } from '../../open-core.js';
import type { TwinboxPaths } from '../../paths.js';
import { storeRoot, workspaceLayout } from '../../workspace/layout.js';
import { acquireLock } from '../../workspace/lock.js';
import { WorkspaceRegistry, type WorkspaceEntry } from '../../workspace/registry.js';
import { SetupJournal } from '../../setup/journal.js';
import type { WorkspaceManifest } from '../manifest-schema.js';
import { syncDir } from './fs-sync.js';
import { findInstalled } from './installed-entry.js';
import { planInstall, sharedStorePlan, type InstallPlan } from './install-plan.js';
import { privateFolderName, type Staging } from './staging.js';
import { crashPoint } from '../../workspace/crash-points.js';

/** Whether `dir` is a folder inside the store: a damaged registry must not make twinbox delete elsewhere. */
export function insideStore(paths: TwinboxPaths, dir: string): boolean {
  return resolve(dir).startsWith(resolve(storeRoot(paths)) + sep);
}

function newEntry(manifest: WorkspaceManifest, plan: InstallPlan, storeDir: string): WorkspaceEntry {
  const now = new Date().toISOString();
  return {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    installedAt: now,
    storeDir,
    imagePath: join(storeDir, manifest.image.file),
    ...(plan.keep?.hypervisor ? { hypervisor: plan.keep.hypervisor } : {}),
    ...(plan.keep?.vm ? { vm: plan.keep.vm } : {}),
    setup: { state: 'pending', updatedAt: now },
    ...(plan.replacing ? { replacing: plan.replacing } : {}),
  };
}

/**
 * The only step of an install that changes shared state, under the workspace's lock: the plan
 * is checked again (another process may have installed meanwhile), the staged folder is
 * renamed into `<store>/<name>/<version>` and the registry entry is written last. Until that
 * write nothing refers to the new files, so an interruption leaves at most a folder that the
 * next install of the package replaces.
 */
export async function commitInstall(
  core: Core,
  paths: TwinboxPaths,
  manifest: WorkspaceManifest,
  staging: Staging,
  expected: InstallPlan,
  overwrite: boolean,
  shared = false,
): Promise<WorkspaceEntry> {
  const layout = workspaceLayout(paths, manifest.name, manifest.version);
  const hadWorkspaceDir = existsSync(layout.workspaceDir);
  const lock = acquireLock(layout.lockFile, manifest.name, 'install');
  let committed = false;
  try {
    const planned = planInstall(findInstalled(paths, manifest.name), manifest.name, manifest.version, layout.storeDir, overwrite);
    const plan = shared ? sharedStorePlan(planned) : planned;
    if (plan.kind !== expected.kind || plan.previousVersion !== expected.previousVersion) {
      throw new TwinboxError('install-race', `${manifest.name} changed while this install ran (installed now: ${plan.previousVersion ?? 'nothing'})`, {
        exit: 'busy',
        hint: 'run the install again',
      });
    }
    // The journal of the VM removed here would make the next setup find every step done, with no VM.
    if (plan.vmToRemove) await SetupJournal.discard(layout.journalFile);
    if (plan.vmToRemove) await (await core.plugins.hypervisor(plan.vmToRemove.hypervisor)).remove(plan.vmToRemove.vm);
    await mkdir(dirname(layout.storeDir), { recursive: true, mode: shared ? 0o755 : 0o700 });
    let trash: string | undefined;
    if (existsSync(layout.storeDir)) {
      trash = join(storeRoot(paths), privateFolderName('trash'));
      await rename(layout.storeDir, trash);
      crashPoint('overwrite:moved-aside');
    }
    try {
      await rename(staging.dir, layout.storeDir);
      crashPoint('install:store-renamed');
    } catch (error) {
      if (trash) await rename(trash, layout.storeDir);
      throw error;
    }
    const entry = newEntry(manifest, plan, layout.storeDir);
    try {
      await syncDir(dirname(layout.storeDir));
      await syncDir(storeRoot(paths));
      new WorkspaceRegistry(paths.dataDir, { shared }).put(entry);
    } catch (error) {
      await rm(layout.storeDir, { recursive: true, force: true });
      if (trash) await rename(trash, layout.storeDir);
      throw error;
    }
    committed = true;
    if (trash) await rm(trash, { recursive: true, force: true });
    for (const dir of plan.obsoleteStoreDirs) if (insideStore(paths, dir)) await rm(dir, { recursive: true, force: true });
    crashPoint('install:committed');
    return entry;
  } finally {
    lock.release();
    if (!committed) {
      // Only empty folders go: what this attempt created, never what was there before.
      await rmdir(dirname(layout.storeDir)).catch(() => undefined);
      if (!hadWorkspaceDir) await rmdir(layout.workspaceDir).catch(() => undefined);
    }
  }
}
