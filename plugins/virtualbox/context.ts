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
}
