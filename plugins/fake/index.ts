import { Tokens, type Clock, type CommandRunner, type PluginContainer, type PluginPaths } from 'twinbox/plugin-api';
import { FakeHypervisor } from './fake-hypervisor.js';

export { FakeHypervisor, type FakeHypervisorOptions } from './fake-hypervisor.js';
export { NO_FAULTS, type FakeFaults } from './faults.js';

export function register(container: PluginContainer): void {
  container.register(Tokens.Hypervisor, {
    useFactory: (scope) =>
      new FakeHypervisor(
        scope.resolve<CommandRunner>(Tokens.CommandRunner),
        scope.resolve<PluginPaths>(Tokens.PluginPaths),
        scope.resolve<Clock>(Tokens.Clock),
      ),
  });
}
