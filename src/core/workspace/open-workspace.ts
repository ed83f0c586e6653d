import type { Clock } from '../../plugin-api/index.js';
import { EventLog } from '../events/event-log.js';
import type { Core } from '../open-core.js';
import type { TwinboxPaths } from '../paths.js';
import { requireAccess } from '../policy/enforce-workspace-access.js';
import { currentCaller } from '../system/caller.js';
import { systemDirOf } from '../system/system-dir.js';
import { resolveEntry } from '../system/user-view.js';
import { workspaceLayout, type WorkspaceLayout } from './layout.js';
import { WorkspaceRegistry, type WorkspaceEntry } from './registry.js';

/** One installed workspace with everything an operation on it needs. */
export interface Workspace {
  core: Core;
  name: string;
  /** `system`: a machine-wide workspace; its package is shared, its VM and state are this user's. */
  scope: 'user' | 'system';
  /** A machine-wide workspace an admin has uninstalled: only this user's leftovers remain. */
  orphaned: boolean;
  paths: TwinboxPaths;
  registry: WorkspaceRegistry;
  layout: WorkspaceLayout;
  /** Its own event log, at the level of the `log.level` setting. */
  events: EventLog;
  clock: Clock;
  /** Reads the entry afresh: another process may have changed it. */
  entry(): WorkspaceEntry;
  update(change: (entry: WorkspaceEntry) => WorkspaceEntry): Promise<WorkspaceEntry>;
}

export function openRegistry(core: Core): WorkspaceRegistry {
  return new WorkspaceRegistry(core.paths.dataDir);
}

/**
/**
 * Fails with exit 2 and a hint when no such workspace is installed (for this user or
 * machine-wide), and with exit 4 when machine policy (access.workspaces) denies it to this user.
 * `listed` is the entry as a registry listing just read it, saving another read of the file.
 */
export function openWorkspace(core: Core, name: string, registry: WorkspaceRegistry = openRegistry(core), listed?: WorkspaceEntry): Workspace {
  const paths = core.paths;
  const settings = core.settings;
  const env = core.env;
  const clock = core.clock;
  requireAccess(settings, core.events, currentCaller(), name);
  const resolved = resolveEntry(registry, systemDirOf(env), name, new Date(clock.now()).toISOString(), listed);
  const entry = resolved?.entry ?? registry.get(name);
  const layout = workspaceLayout(paths, name, entry.version);
  return {
    core,
    name,
    scope: entry.scope ?? 'user',
    orphaned: resolved?.orphaned ?? false,
    paths,
    registry,
    layout,
    events: new EventLog(layout.eventsFile, settings.get('log.level'), () => clock.now()),
    clock,
    entry: () => registry.get(name),
    update: async (change) => registry.update(name, change),
  };
}
