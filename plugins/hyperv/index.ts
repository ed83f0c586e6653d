import { Tokens, type Clock, type CommandRunner, type HypervisorPlugin, type PluginContainer, type PluginLogger } from 'twinbox/plugin-api';
import { HyperVPlugin } from './plugin.js';

export { HyperVPlugin } from './plugin.js';
export type { HyperVPluginOptions } from './plugin.js';

export function register(container: PluginContainer): void {
  let instance: HyperVPlugin | undefined;
  container.register<HypervisorPlugin>(Tokens.Hypervisor, {
    // A factory runs on every resolve; there must be one PowerShell host, so one instance.
    useFactory: (c) =>
      (instance ??= new HyperVPlugin({
        runner: c.resolve<CommandRunner>(Tokens.CommandRunner),
        clock: c.resolve<Clock>(Tokens.Clock),
        logger: c.isRegistered(Tokens.Logger, true) ? c.resolve<PluginLogger>(Tokens.Logger) : undefined,
      })),
  });
}
