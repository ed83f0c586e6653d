// tsyringe's entry refuses to load without a Reflect metadata polyfill, decorators or not.
import 'reflect-metadata';
import { accessSync, constants as fsConstants, mkdirSync, statSync } from 'node:fs';
import { container as globalContainer, instanceCachingFactory, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { Tokens, TwinboxError, type Clock, type CommandRunner } from '../plugin-api/index.js';
import { systemClock } from './clock.js';
import type { EventLog } from './events/event-log.js';
import { resolvePaths, type TwinboxPaths } from './paths.js';
import { ensurePrivateRuntimeDir, markAndSweepRuntimeDirs } from './private-runtime-dir.js';
import { PluginRegistry } from './plugins/plugin-registry.js';
import { ExecaCommandRunner } from './process/execa-runner.js';
import { pluginAllowlist } from './policy/plugin-allowlist.js';
import { openSettings, type OpenedSettings } from './settings/open-settings.js';
import type { Settings } from './settings/settings.js';
import { CoreTokens } from './tokens.js';

export interface ContainerOptions {
  env?: NodeJS.ProcessEnv;
  /** Replace the process boundary (tests script it). */
  commandRunner?: CommandRunner;
  /** Replace the clock (tests fix the time). */
  clock?: Clock;
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
    // A read-only state folder still reads: commands that write fail at their first write (state-errors.ts).
    if (['EROFS', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '') && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
    throw new TwinboxError('state-unwritable', `cannot write twinbox state in ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'point TWINBOX_HOME at a writable folder, or fix the folder permissions',
      cause: error,
    });
  }
}

/** twinbox's folders, made (owner-only, writable) and the runtime folders of homes that are gone swept. */
function preparedPaths(env: NodeJS.ProcessEnv): TwinboxPaths {
  const paths = resolvePaths(env);
  for (const dir of [paths.configDir, paths.dataDir, paths.runtimeDir]) ensureWritable(dir);
  ensurePrivateRuntimeDir(paths.runtimeDir);
  markAndSweepRuntimeDirs(paths.runtimeDir, paths.dataDir);
  return paths;
}

/**
 * The composition root: one container per twinbox process holding the core's services, each
 * registered by its factory and built once, the first time it is resolved (so `status` of no
 * workspace never looks for plugins); each plugin gets a child container on top of it.
 */
export function createContainer(options: ContainerOptions = {}): DependencyContainer {
  const env = options.env ?? process.env;
  const root = globalContainer.createChildContainer();
  const singleton = <T>(token: InjectionToken<T>, build: () => T) => root.register<T>(token, { useFactory: instanceCachingFactory<T>(build) });
  const resolve = <T>(token: InjectionToken<T>) => root.resolve<T>(token);

  root.register(CoreTokens.Environment, { useValue: env });
  root.register<Clock>(Tokens.Clock, { useValue: options.clock ?? systemClock });
  singleton<TwinboxPaths>(CoreTokens.Paths, () => preparedPaths(env));
  singleton<OpenedSettings>(CoreTokens.OpenedSettings, () => openSettings(resolve(CoreTokens.Paths), env));
  singleton<Settings>(CoreTokens.Settings, () => resolve<OpenedSettings>(CoreTokens.OpenedSettings).settings);
  singleton<EventLog>(CoreTokens.EventLog, () => resolve<OpenedSettings>(CoreTokens.OpenedSettings).events);
  singleton<CommandRunner>(Tokens.CommandRunner, () => options.commandRunner ?? new ExecaCommandRunner());
  singleton<PluginRegistry>(CoreTokens.PluginRegistry, () => {
    const settings = resolve<Settings>(CoreTokens.Settings);
    // Read before any plugin is: a broken policy that may govern them fails here (exit 4).
    const allowlist = pluginAllowlist(settings);
    const discovery = { builtInDir: options.builtInPluginsDir, settingsPaths: settings.get('plugins.paths') };
    return new PluginRegistry(root, resolve(CoreTokens.Paths), resolve(CoreTokens.EventLog), discovery, options.detectTimeoutMs, allowlist);
  });
  return root;
}
