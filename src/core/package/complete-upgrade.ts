import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Core } from '../open-core.js';
import { WorkspaceRegistry } from '../workspace/registry.js';
import { insideStore } from './install/commit.js';
import { findInstalled } from './install/installed-entry.js';
import { recordPackageEvent } from './install/package-events.js';
import { workspaceLayout } from '../workspace/layout.js';
import { crashPoint } from '../workspace/crash-points.js';

/**
 * Finishes an upgrade once the new version's VM has set up and replaced the old one: deletes
 * the old version from the store and clears `replacing`. The setup pipeline calls it while it
 * holds the workspace lock, so this takes no lock itself. The folder goes before the entry
 * changes: an interruption leaves `replacing` set, and calling again finishes the job.
 * Returns the removed folder, or undefined when no upgrade was pending.
 */
export async function completeUpgrade(core: Core, name: string): Promise<string | undefined> {
  const paths = core.paths;
  const entry = findInstalled(paths, name);
  if (!entry?.replacing) return undefined;
  const old = entry.replacing;
  if (insideStore(paths, old.storeDir) && resolve(old.storeDir) !== resolve(entry.storeDir)) await rm(old.storeDir, { recursive: true, force: true });
  crashPoint('upgrade:old-version-removed');
  new WorkspaceRegistry(paths.dataDir).update(name, (current) => {
    const { replacing: _done, ...rest } = current;
    return rest;
  });
  crashPoint('upgrade:completed');
  recordPackageEvent(
    core,
    'info',
    'packageUpgraded',
    `upgrade of ${name} to ${entry.version} completed; ${old.version} removed from the store`,
    { name, version: entry.version, removedVersion: old.version },
    workspaceLayout(paths, name, entry.version).eventsFile,
  );
  return old.storeDir;
}
