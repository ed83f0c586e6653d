import 'reflect-metadata';
import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import { Tokens, TwinboxError, type CommandRunner } from '../plugin-api/index.js';
import { systemClock } from './clock.js';
import { EventLog } from './events/event-log.js';
import { resolvePaths, type TwinboxPaths } from './paths.js';
import { PluginRegistry } from './plugins/plugin-registry.js';
import { ExecaCommandRunner } from './process/execa-runner.js';
import { Settings } from './settings/settings.js';
import { CoreTokens } from './tokens.js';

export interface ContainerOptions {
  env?: NodeJS.ProcessEnv;
  /** Replace the process boundary (tests script it). */
  commandRunner?: CommandRunner;
  /** Where built-in plugins are found (tests point it elsewhere). */
  builtInPluginsDir?: string;
  /** How long a hypervisor plugin's detect() may take. */
  detectTimeoutMs?: number;
}

function ensureWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, fsConstants.W_OK);
  } catch (error) {
    throw new TwinboxError('state-unwritable', `cannot write twinbox state in ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'point TWINBOX_HOME at a writable folder, or fix the folder permissions',
      cause: error,
    });
  }
}

/**
 * The composition root: one container per twinbox process holding the core's services;
 * each plugin gets a child container on top of it.
 */
export function createContainer(options: ContainerOptions = {}): DependencyContainer {
  const env = options.env ?? process.env;
  const paths: TwinboxPaths = resolvePaths(env);
  for (const dir of [paths.configDir, paths.dataDir, paths.runtimeDir]) ensureWritable(dir);
  const settings = new Settings(paths.configDir);
  const events = new EventLog(join(paths.dataDir, 'events.jsonl'), settings.get('log.level'));
  if (settings.recovered) {
    events.write('warn', 'settings', `settings file was unreadable and was kept aside as ${settings.recovered.backupPath}`, {
      problem: settings.recovered.problem,
    });
  }

  const root = globalContainer.createChildContainer();
  root.register(CoreTokens.Environment, { useValue: env });
  root.register(CoreTokens.Paths, { useValue: paths });
  root.register(CoreTokens.Settings, { useValue: settings });
  root.register(CoreTokens.EventLog, { useValue: events });
  root.register(Tokens.CommandRunner, { useValue: options.commandRunner ?? new ExecaCommandRunner() });
  root.register(Tokens.Clock, { useValue: systemClock });
  root.register(CoreTokens.PluginRegistry, {
    useValue: new PluginRegistry(root, paths, events, {
      builtInDir: options.builtInPluginsDir,
      settingsPaths: settings.get('plugins.paths'),
    }, options.detectTimeoutMs),
  });
  return root;
}
