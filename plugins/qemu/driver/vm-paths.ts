import { join } from 'node:path';
import { qemuErrors } from './errors.js';
import type { VmDisplayMode } from 'twinbox/plugin-api';

/** The channel qemu-ga listens on; every VM gets it, asked for or not. */
export const AGENT_CHANNEL = 'org.qemu.guest_agent.0';

/** sun_path holds 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH = 107;

const CONSOLE_CHANNEL = /^console(\d+)$/;

/** Console port N is reached through `openChannel(vm, consoleChannelName(N))`. */
export function consoleChannelName(index: number): string {
  return `console${index}`;
}

/** The console index a channel name refers to, if it names one. */
export function consoleIndex(name: string): number | undefined {
  const match = CONSOLE_CHANNEL.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Where everything of one VM lives: its own files in vmDir, sockets in a short runtime folder. */
export interface VmPaths {
  vmDir: string;
  config: string;
  overlay: string;
  consoleLog: string;
  previousConsoleLog: string;
  /** Sockets and the pid file; short because of the unix socket limit. */
  runDir: string;
  pidFile: string;
  qmpSocket: string;
  /** Channel name → socket path, the agent's first. */
  channels: Record<string, string>;
  /** Socket of console port N at index N. */
  consoles: string[];
  /** The VNC server of the VM's screen, when it has one. */
  vncSocket?: string;
}

export function channelNames(channels: readonly string[]): string[] {
  return [...new Set([AGENT_CHANNEL, ...channels])];
}

export function vmPaths(vm: { id: string; vmDir: string; channels: readonly string[]; consoles?: number; display?: VmDisplayMode }, runtimeDir: string): VmPaths {
  const runDir = join(runtimeDir, vm.id);
  // Sockets are numbered, not named after the channel: channel names can be long.
  const channels: Record<string, string> = {};
  channelNames(vm.channels).forEach((name, index) => {
    channels[name] = join(runDir, `ch${index}.sock`);
  });
  const consoles = Array.from({ length: vm.consoles ?? 0 }, (_, index) => join(runDir, `con${index}.sock`));
  return {
    vmDir: vm.vmDir,
    config: join(vm.vmDir, 'qemu-vm.json'),
    overlay: join(vm.vmDir, 'disk.qcow2'),
    consoleLog: join(vm.vmDir, 'console.log'),
    previousConsoleLog: join(vm.vmDir, 'console.previous.log'),
    runDir,
    pidFile: join(runDir, 'qemu.pid'),
    qmpSocket: join(runDir, 'qmp.sock'),
    channels,
    consoles,
    ...(vm.display !== undefined && vm.display !== 'none' ? { vncSocket: join(runDir, 'vnc.sock') } : {}),
  };
}

export function socketPaths(paths: VmPaths): string[] {
  return [paths.qmpSocket, ...Object.values(paths.channels), ...paths.consoles, ...(paths.vncSocket ? [paths.vncSocket] : [])];
}

/** Fails before QEMU does, with a message that says which path and what to do. */
export function checkSocketPaths(paths: VmPaths): void {
  for (const path of socketPaths(paths)) {
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH) throw qemuErrors.socketPathTooLong(path, MAX_SOCKET_PATH);
  }
}
