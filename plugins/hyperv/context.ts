import type { Clock, CommandRunner, PluginLogger } from 'twinbox/plugin-api';
import type { HyperVDriver } from './driver.js';
import type { HostKind } from './platform.js';

/** What each operation of the plugin works with. */
export interface HyperVContext {
  driver: HyperVDriver;
  runner: CommandRunner;
  clock: Clock;
  host: HostKind;
  logger?: PluginLogger;
}
