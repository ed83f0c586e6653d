import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Clock } from 'twinbox/plugin-api';
import { consoleSocketPath, DEFAULT_CONSOLE_PORTS } from './console-paths.js';
import { isGuestProcess, signalGuest } from './process-check.js';
import { readRecord } from './vm-store.js';

/** How often waits look at the record and the process again. */
export const POLL_MS = 25;

/** The clock waits keep time with. */
type Timed = { clock: Clock };

/** Waits until the guest process is gone; false when it is still there at the deadline. */
export async function waitForExit(context: Timed, pid: number, vmDir: string, deadline: number): Promise<boolean> {
  for (;;) {
    if (!(await isGuestProcess(pid, vmDir))) return true;
    if (context.clock.now() >= deadline) return false;
    await context.clock.sleep(POLL_MS);
  }
}

/** Pulls the plug: the guest and its programs die at once. Signals only if the pid is still our guest. */
export async function killGuest(context: Timed, pid: number, vmDir: string, socketPath: string | undefined): Promise<void> {
  if (await isGuestProcess(pid, vmDir)) {
    signalGuest(pid, 'SIGKILL');
    await waitForExit(context, pid, vmDir, context.clock.now() + 10_000);
  }
  // A killed guest cannot remove its own sockets.
  if (socketPath) {
    await rm(socketPath, { force: true });
    const ports = (await readRecord(vmDir))?.spec.consoles ?? DEFAULT_CONSOLE_PORTS;
    for (let index = 0; index < ports; index++) await rm(consoleSocketPath(socketPath, index), { force: true });
  }
}

/**
 * Sends guest-shutdown the way a QGA client would (a leading 0xFF clears any partial input on
 * the agent side). The agent never answers it, so success means only that it was delivered.
 */
export function requestShutdown(socketPath: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, timeoutMs);
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    socket.once('connect', () => {
      socket.end(Buffer.concat([Buffer.from([0xff]), Buffer.from('{"execute":"guest-shutdown","arguments":{"mode":"powerdown"}}\n')]), () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  });
}
