import { Tokens, type Clock } from '../../plugin-api/index.js';
import { EventLog } from '../events/event-log.js';
import type { Core } from '../open-core.js';
import type { TwinboxPaths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import { CoreTokens } from '../tokens.js';
import { workspaceLayout, type WorkspaceLayout } from './layout.js';
import { WorkspaceRegistry, type WorkspaceEntry } from './registry.js';

/** One installed workspace with everything an operation on it needs. */
export interface Workspace {
  core: Core;
  name: string;
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
  return new WorkspaceRegistry(core.container.resolve<TwinboxPaths>(CoreTokens.Paths).dataDir);
}

/**
 * Fails with exit 2 and a hint when no such workspace is installed. `listed` is the entry as a
 * registry listing just read it, saving another read of the whole file.
 */
export function openWorkspace(core: Core, name: string, registry: WorkspaceRegistry = openRegistry(core), listed?: WorkspaceEntry): Workspace {
  const paths = core.container.resolve<TwinboxPaths>(CoreTokens.Paths);
  const settings = core.container.resolve<Settings>(CoreTokens.Settings);
  const clock = core.container.resolve<Clock>(Tokens.Clock);
  const entry = listed ?? registry.get(name);
  const layout = workspaceLayout(paths, name, entry.version);
  return {
    core,
    name,
    paths,
    registry,
    layout,
    events: new EventLog(layout.eventsFile, settings.get('log.level'), () => clock.now()),
    clock,
    entry: () => registry.get(name),
    update: async (change) => registry.update(name, change),
  };
}
