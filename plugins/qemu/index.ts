import {
  Tokens,
  type Clock,
  type CommandRunner,
  type PluginContainer,
  type PluginLogger,
  type PluginPaths,
} from 'twinbox/plugin-api';
import type { QemuDeps } from './deps.js';
import { QemuDetector } from './host/detect.js';
import { QemuHypervisor } from './plugin.js';
import { probeProcess } from './vm/process.js';

export { QemuHypervisor } from './plugin.js';
export { AGENT_CHANNEL, consoleChannelName, consoleIndex, MAX_SOCKET_PATH } from './vm/vm-paths.js';
export { SUSPEND_SNAPSHOT } from './lifecycle/suspend-snapshot.js';
export type { QemuDeps } from './deps.js';

const silentLogger: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface QemuPluginOptions {
  runner: CommandRunner;
  paths: PluginPaths;
  clock: Clock;
  logger: PluginLogger;
}

export function createQemuHypervisor(options: QemuPluginOptions): QemuHypervisor {
  const deps: QemuDeps = {
    ...options,
    detector: new QemuDetector({ runner: options.runner, cacheDir: options.paths.cacheDir }),
    probe: probeProcess,
    kill: (pid, signal) => process.kill(pid, signal),
  };
  return new QemuHypervisor(deps);
}

export function register(container: PluginContainer): void {
  // tsyringe calls a factory on every resolve; one instance keeps the version cache warm.
  let instance: QemuHypervisor | undefined;
  container.register(Tokens.Hypervisor, {
    useFactory: (c) =>
      (instance ??= createQemuHypervisor({
        runner: c.resolve<CommandRunner>(Tokens.CommandRunner),
        paths: c.resolve<PluginPaths>(Tokens.PluginPaths),
        clock: c.resolve<Clock>(Tokens.Clock),
        logger: c.isRegistered(Tokens.Logger, true) ? c.resolve<PluginLogger>(Tokens.Logger) : silentLogger,
      })),
  });
}
