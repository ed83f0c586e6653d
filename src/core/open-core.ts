import type { DependencyContainer } from 'tsyringe';
import { createContainer, type ContainerOptions } from './container.js';
import type { PluginRegistry } from './plugins/plugin-registry.js';
import { CoreTokens } from './tokens.js';

/** The core's services as the commands and the UI use them. */
export interface Core {
  container: DependencyContainer;
  plugins: PluginRegistry;
}

export function openCore(options: ContainerOptions = {}): Core {
  const container = createContainer(options);
  return { container, plugins: container.resolve<PluginRegistry>(CoreTokens.PluginRegistry) };
}
