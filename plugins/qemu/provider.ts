import type { Availability, Clock, CommandRunner, PluginLogger, PluginPaths, VmRef, VmStatus } from 'twinbox/plugin-api';
import { findVm } from './driver/load-vm.js';
import { probeProcess, type Probe } from './driver/process.js';
import { inspectVm } from './driver/vm-state.js';
import { QemuDetector } from './host/detect.js';

export interface QemuPluginOptions {
  runner: CommandRunner;
  paths: PluginPaths;
  clock: Clock;
  logger: PluginLogger;
}

/** What every action of the plugin is given; tests replace the process-facing parts. */
export interface QemuDeps extends QemuPluginOptions {
  detector: QemuDetector;
  probe: Probe;
  kill: (pid: number, signal: NodeJS.Signals) => void;
}

/** The real host: its QEMU found and probed once per plugin object, its processes looked at in /proc. */
export function context(options: QemuPluginOptions & Partial<QemuDeps>): QemuDeps {
  return {
    ...options,
    detector: options.detector ?? new QemuDetector({ runner: options.runner, cacheDir: options.paths.cacheDir }),
    probe: options.probe ?? probeProcess,
    kill: options.kill ?? ((pid, signal) => process.kill(pid, signal)),
  };
}

export function detect(deps: QemuDeps): Promise<Availability> {
  return deps.detector.detect();
}

export async function state(deps: QemuDeps, vm: VmRef): Promise<VmStatus> {
  const config = await findVm(deps, vm);
  if (!config) return { state: 'not-created', reason: 'no such VM' };
  return (await inspectVm(deps, config)).status;
}
