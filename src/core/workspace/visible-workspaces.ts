import type { Core } from '../open-core.js';
import { accessDecision } from '../policy/enforce-workspace-access.js';
import { currentCaller, type AccessIdentity } from '../system/caller.js';
import { systemDirOf } from '../system/system-dir.js';
import { readSystemWorkspaces } from '../system/system-registry.js';
import { byName } from './by-name.js';
import { openRegistry, openWorkspace } from './open-workspace.js';
import type { WorkspaceEntry, WorkspaceRegistry } from './registry.js';

export interface VisibleWorkspaces {
  /** The names this user can use, sorted: their own, and the machine-wide ones not hidden by one of theirs. */
  names: string[];
  /** Machine-wide workspaces hidden by the user's own of the same name. */
  shadowed: WorkspaceEntry[];
}

/** What listings show: machine policy (access.workspaces) leaves out the workspaces it denies this user. */
export function visibleWorkspaces(core: Core, registry: WorkspaceRegistry, caller: AccessIdentity = currentCaller()): VisibleWorkspaces {
  const env = core.env;
  const settings = core.settings;
  const system = readSystemWorkspaces(systemDirOf(env));
  const own = registry.list();
  const names = [...new Set([...own.map((entry) => entry.name), ...system.map((entry) => entry.name)])]
    .filter((name) => accessDecision(settings, caller, name).allowed)
    .sort(byName);
  const hidden = new Set(own.filter((entry) => entry.scope !== 'system').map((entry) => entry.name));
  return { names, shadowed: system.filter((entry) => hidden.has(entry.name) && names.includes(entry.name)) };
}

/**
 * The entries of the workspaces this user (or `caller`) may use, their own and the
 * machine-wide ones, by name: the one place listings, the menu, redirection and shims ask.
 */
export function usableWorkspaces(core: Core, caller: AccessIdentity = currentCaller(), registry: WorkspaceRegistry = openRegistry(core)): WorkspaceEntry[] {
  return visibleWorkspaces(core, registry, caller).names.map((name) => openWorkspace(core, name, registry).entry());
}
