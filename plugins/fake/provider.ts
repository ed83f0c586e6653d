import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Availability, Clock, CommandRunner, PluginPaths, VmRef, VmStatus } from 'twinbox/plugin-api';
import { SOCAT_MISSING } from './driver/console-paths.js';
import { VmIndex } from './driver/vm-index.js';
import { currentStatus } from './driver/vm-status.js';

export interface FakeHypervisorOptions {
  /** The compiled guest program; defaults to guest/main.js beside this module. */
  guestMain?: string;
}

/** What the fake hypervisor's actions share. */
export interface FakeContext {
  runner: CommandRunner;
  paths: PluginPaths;
  clock: Clock;
  index: VmIndex;
  /** The compiled guest program (guest/main.js). */
  guestMain: string;
}

/** The one channel the fake guest offers: where qemu-ga listens on a real QEMU VM. */
export const AGENT_CHANNEL = 'org.qemu.guest_agent.0';

export function context(options: { runner: CommandRunner; paths: PluginPaths; clock: Clock } & FakeHypervisorOptions): FakeContext {
  return {
    runner: options.runner,
    paths: options.paths,
    clock: options.clock,
    index: new VmIndex(options.paths.dataDir),
    // Beside this module: the plugin's folder, compiled or bundled into one file.
    guestMain: options.guestMain ?? fileURLToPath(new URL('./guest/main.js', import.meta.url)),
  };
}

async function pluginVersion(): Promise<string> {
  try {
    const manifest = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Always usable; whether its VMs get console ports (terminal apps) depends on socat being installed. */
export async function detect(context: FakeContext): Promise<Availability> {
  const socat = await context.runner.which('socat');
  return {
    usable: true,
    reason: socat
      ? 'built-in simulated hypervisor: runs no real guest; console ports for terminal apps through socat'
      : `built-in simulated hypervisor: runs no real guest; no console ports for terminal apps (${SOCAT_MISSING}: apt-get install socat)`,
    version: await pluginVersion(),
    details: { guest: context.guestMain, socat: socat ?? 'not installed' },
  };
}

export async function state(_context: FakeContext, vm: VmRef): Promise<VmStatus> {
  return (await currentStatus(resolve(vm.vmDir))).status;
}
