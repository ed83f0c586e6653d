import { registerHypervisor } from 'twinbox/plugin-api';
import { QemuHypervisor } from './plugin.js';
import type { QemuPluginOptions } from './provider.js';

export { QemuHypervisor } from './plugin.js';
export { AGENT_CHANNEL, consoleChannelName, consoleIndex, MAX_SOCKET_PATH } from './driver/vm-paths.js';
export { SUSPEND_SNAPSHOT } from './driver/suspend-snapshot.js';
export type { QemuDeps, QemuPluginOptions } from './provider.js';

/** A QEMU plugin on this host's QEMU, from the core's services. */
export function createQemuHypervisor(options: QemuPluginOptions): QemuHypervisor {
  return new QemuHypervisor(options);
}

export const register = registerHypervisor((services) => createQemuHypervisor(services));
