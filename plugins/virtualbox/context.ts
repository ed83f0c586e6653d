import type { Clock, CommandRunner, PluginLogger, PluginPaths } from 'twinbox/plugin-api';
import type { VBoxManageDriver } from './driver.js';

/** What each operation of the plugin works with. */
export interface VBoxContext {
  driver: VBoxManageDriver;
  runner: CommandRunner;
  clock: Clock;
  paths: PluginPaths;
  platform: NodeJS.Platform;
  logger?: PluginLogger;
  /** The host account VirtualBox's VRDE authentication (VBoxAuth) checks the password of. */
  user?: string;
  /** A TCP port free on 127.0.0.1 for a new NAT forwarding rule. */
  freePort: () => Promise<number>;
}
