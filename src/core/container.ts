import 'reflect-metadata';
import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import { Tokens, TwinboxError, type CommandRunner } from '../plugin-api/index.js';
import { systemClock } from './clock.js';
import { resolvePaths, type TwinboxPaths } from './paths.js';
import { ensurePrivateRuntimeDir, markAndSweepRuntimeDirs } from './private-runtime-dir.js';
import { PluginRegistry } from './plugins/plugin-registry.js';
import { ExecaCommandRunner } from './process/execa-runner.js';
import { pluginAllowlist } from './policy/plugin-allowlist.js';
import { openSettings } from './settings/open-settings.js';
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
  ensurePrivateRuntimeDir(paths.runtimeDir);
  markAndSweepRuntimeDirs(paths.runtimeDir, paths.dataDir);
  const { settings, events } = openSettings(paths, env);
  // Read before anything is registered: a broken policy governing them fails the command here (exit 4).
  const allowlist = pluginAllowlist(settings);
  const pluginPaths = settings.get('plugins.paths');

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
      settingsPaths: pluginPaths,
    }, options.detectTimeoutMs, allowlist),
  });
  return root;
}
