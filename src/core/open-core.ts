import type { DependencyContainer } from 'tsyringe';
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

/** The core over the composition root's container, which only this class asks. */
class ContainerCore implements Core {
  constructor(private readonly root: DependencyContainer) {}

  get env(): NodeJS.ProcessEnv {
    return this.root.resolve(CoreTokens.Environment);
  }

  get paths(): TwinboxPaths {
    return this.root.resolve(CoreTokens.Paths);
  }

  get settings(): Settings {
    return this.root.resolve(CoreTokens.Settings);
  }

  get events(): EventLog {
    return this.root.resolve(CoreTokens.EventLog);
  }

  get commandRunner(): CommandRunner {
    return this.root.resolve(Tokens.CommandRunner);
  }

  get clock(): Clock {
    return this.root.resolve(Tokens.Clock);
  }

  get plugins(): PluginRegistry {
    return this.root.resolve(CoreTokens.PluginRegistry);
  }
}

export function openCore(options: ContainerOptions = {}): Core {
  return new ContainerCore(createContainer(options));
}
