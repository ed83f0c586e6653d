import { basename, dirname, join } from 'node:path';

/** What create-vm asks for; a spec without `consoles` gets as many. */
export const DEFAULT_CONSOLE_PORTS = 4;
/** Why a guest offers no console ports on a machine without socat (the plugin's hint keys on it). */
export const SOCAT_MISSING = 'socat is not installed on this machine';
/** Console channels are named as QEMU's virtio consoles are: console0, console1, … */
const CONSOLE_CHANNEL = /^console(0|[1-9][0-9]{0,2})$/;
/** The guest device of a console port, as a program in the guest names it. */
const CONSOLE_DEVICE = /^\/dev\/hvc(0|[1-9][0-9]{0,2})$/;

/** The port number of a console channel name, or undefined for any other name. */
export function consoleChannelIndex(name: string): number | undefined {
  const match = CONSOLE_CHANNEL.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The port number of a guest console device path (`/dev/hvcN`), or undefined for any other path. */
export function consoleDeviceIndex(path: string): number | undefined {
  const match = CONSOLE_DEVICE.exec(path);
  return match ? Number(match[1]) : undefined;
}

/**
 * Where the guest listens for console port N: beside the agent socket and named after it
 * (`<id>.qga` → `<id>.hvcN`), so that the plugin and the guest agree without asking each other
 * and the path stays as short as the agent's (unix socket paths stop at about 108 bytes).
 */
export function consoleSocketPath(agentSocketPath: string, index: number): string {
  return join(dirname(agentSocketPath), `${basename(agentSocketPath).replace(/\.qga$/, '')}.hvc${index}`);
}
