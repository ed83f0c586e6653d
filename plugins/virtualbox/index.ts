import { registerHypervisor } from 'twinbox/plugin-api';
import { VirtualBoxPlugin } from './plugin.js';

export { VirtualBoxPlugin } from './plugin.js';
export type { VirtualBoxPluginOptions } from './provider.js';

export const register = registerHypervisor((services) => new VirtualBoxPlugin(services));
