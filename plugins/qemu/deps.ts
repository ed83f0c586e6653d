import type { Clock, CommandRunner, PluginLogger, PluginPaths } from 'twinbox/plugin-api';
import type { QemuDetector } from './host/detect.js';
import type { ProcessFacts } from './vm/process.js';

/** What every operation of the plugin is given; tests replace the process-facing parts. */
export interface QemuDeps {
  runner: CommandRunner;
  paths: PluginPaths;
  clock: Clock;
  logger: PluginLogger;
  detector: QemuDetector;
  probe: (pid: number) => Promise<ProcessFacts>;
  kill: (pid: number, signal: NodeJS.Signals) => void;
}
