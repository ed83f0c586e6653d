import type { InjectionToken } from 'tsyringe';
import { Tokens, type Clock, type CommandRunner } from '../plugin-api/index.js';
import { createContainer, type ContainerOptions } from './container.js';
import type { EventLog } from './events/event-log.js';
import type { TwinboxPaths } from './paths.js';
import type { PluginRegistry } from './plugins/plugin-registry.js';
import type { Settings } from './settings/settings.js';
import { CoreTokens } from './tokens.js';

/**
 * The core's services as the commands and the UI use them. Each is built the first time it is
 * read (`twinbox status` of no workspace never looks for plugins) and is the same one after.
 */
export interface Core {
  readonly env: NodeJS.ProcessEnv;
  /** twinbox's folders, made and checked writable when first read. */
  readonly paths: TwinboxPaths;
  /** Settings with machine policy applied. */
  readonly settings: Settings;
  /** twinbox's own event log (`<data>/events.jsonl`). */
  readonly events: EventLog;
  readonly commandRunner: CommandRunner;
  readonly clock: Clock;
  readonly plugins: PluginRegistry;
}

/** The token each field of the core is resolved by from the composition root's container. */
const FIELDS = {
  env: CoreTokens.Environment,
  paths: CoreTokens.Paths,
  settings: CoreTokens.Settings,
  events: CoreTokens.EventLog,
  commandRunner: Tokens.CommandRunner,
  clock: Tokens.Clock,
  plugins: CoreTokens.PluginRegistry,
} as const satisfies Record<keyof Core, InjectionToken>;

/** The core over the composition root's container, which only its fields ask, each when read. */
export function openCore(options: ContainerOptions = {}): Core {
  const root = createContainer(options);
  const core = {};
  for (const [field, token] of Object.entries(FIELDS)) Object.defineProperty(core, field, { get: () => root.resolve(token), enumerable: true });
  // Machine policy that cannot be read (a file for its folder, a FIFO, nesting past the limit)
  // refuses every command over the core at once, exit 4, whatever it goes on to read: the
  // plugin allowlist it governs is asked here, as when the plugins were loaded on opening.
  (core as Core).settings.get('plugins.allowed');
  return core as Core;
}
