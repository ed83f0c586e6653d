import { registerHypervisor } from 'twinbox/plugin-api';
import { HyperVPlugin } from './plugin.js';

export { HyperVPlugin } from './plugin.js';
export type { HyperVPluginOptions } from './provider.js';

export const register = registerHypervisor((services) => new HyperVPlugin(services));
