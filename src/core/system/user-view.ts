import type { WorkspaceEntry, WorkspaceRegistry } from '../workspace/registry.js';
import { findSystemWorkspace } from './system-registry.js';

export interface ResolvedEntry {
  entry: WorkspaceEntry;
  /** A machine-wide workspace the administrator has since uninstalled: only this user's state is left. */
  orphaned: boolean;
}

function isCurrent(own: WorkspaceEntry, system: WorkspaceEntry): boolean {
  return own.version === system.version && own.storeDir === system.storeDir && own.installedAt === system.installedAt;
}

/**
 * This user's entry for a machine-wide workspace, made on first use or brought up to date
 * after an admin upgraded or reinstalled it. The user's VM then follows the way a per-user
 * upgrade does: the old VM stays in use (`replacing`) until the new version has set up; the
 * old base stays in the system store, which only an admin cleans.
 */
export function syncSystemEntry(registry: WorkspaceRegistry, system: WorkspaceEntry, now: string): WorkspaceEntry {
  const fromSystem = {
    name: system.name,
    version: system.version,
    description: system.description,
    installedAt: system.installedAt,
    storeDir: system.storeDir,
    imagePath: system.imagePath,
    scope: 'system' as const,
  };
  const own = registry.find(system.name);
  if (!own) {
    const entry: WorkspaceEntry = { ...fromSystem, setup: { state: 'pending', updatedAt: now } };
    registry.put(entry);
    return entry;
  }
  if (own.scope !== 'system' || isCurrent(own, system)) return own;
  return registry.update(system.name, (current) => {
    if (isCurrent(current, system)) return current;
    const replacing = current.replacing ?? (current.vm ? { version: current.version, storeDir: current.storeDir } : undefined);
    return { ...current, ...fromSystem, setup: { state: 'pending', updatedAt: now }, ...(replacing ? { replacing } : {}) };
  });
}

/**
 * The entry a name means for this user: their own workspace first (it hides a machine-wide one
 * of the same name), else the machine-wide one with this user's state. Undefined: neither.
 */
export function resolveEntry(registry: WorkspaceRegistry, systemDir: string, name: string, now: string, listed?: WorkspaceEntry): ResolvedEntry | undefined {
  const own = listed ?? registry.find(name);
  if (own && own.scope !== 'system') return { entry: own, orphaned: false };
  const system = findSystemWorkspace(systemDir, name);
  if (system) return { entry: syncSystemEntry(registry, system, now), orphaned: false };
  return own ? { entry: own, orphaned: true } : undefined;
}

/** The installed package a name means for this user, read only (nothing is synced): `twinbox policy --workspace`. */
export function packageDirOf(registry: WorkspaceRegistry, systemDir: string, name: string): string {
  const own = registry.find(name);
  if (own && own.scope !== 'system') return own.storeDir;
  return findSystemWorkspace(systemDir, name)?.storeDir ?? registry.get(name).storeDir;
}
