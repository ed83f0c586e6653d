import { Tokens, type Clock, type CommandRunner, type HypervisorPlugin, type PluginContainer, type PluginLogger, type PluginPaths } from 'twinbox/plugin-api';
import { VirtualBoxPlugin } from './plugin.js';

export { VirtualBoxPlugin } from './plugin.js';
export type { VirtualBoxPluginOptions } from './plugin.js';

export function register(container: PluginContainer): void {
  let instance: VirtualBoxPlugin | undefined;
  container.register<HypervisorPlugin>(Tokens.Hypervisor, {
    // A factory runs on every resolve; the cached version and binary path belong to one instance.
    useFactory: (c) =>
      (instance ??= new VirtualBoxPlugin({
        runner: c.resolve<CommandRunner>(Tokens.CommandRunner),
        paths: c.resolve<PluginPaths>(Tokens.PluginPaths),
        clock: c.resolve<Clock>(Tokens.Clock),
        logger: c.isRegistered(Tokens.Logger, true) ? c.resolve<PluginLogger>(Tokens.Logger) : undefined,
      })),
  });
}
