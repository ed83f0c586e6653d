import { lstat, mkdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { consoleDeviceIndex, consoleSocketPath, SOCAT_MISSING } from '../driver/console-paths.js';
import type { DeviceClaim, GuestDevices } from './commands/exec.js';
import { listenPrivate } from './private-socket.js';
import { SocatBridge } from './socat-bridge.js';

const UNIX_SOCKET_PATH_MAX = 107;
/** How long a program naming a console waits for the terminal of the next session. */
const HANDOVER_TIMEOUT_MS = 5_000;

export interface ConsolePortsOptions {
  /** The guest filesystem: the consoles appear as its dev/hvcN. */
  root: string;
  /** The agent's socket; each port listens beside it. */
  agentSocketPath: string;
  ports: number;
  /** The socat program, or undefined when the host has none. */
  socat: string | undefined;
  log(message: string): void;
}

export interface ConsolePorts extends GuestDevices {
  /** How many ports the host can connect to. */
  readonly offered: number;
  /** Why there are none, when there are none. */
  readonly unavailable?: string;
  close(): Promise<void>;
  /** Stops every console's socat at once, for a guest about to die. */
  kill(): void;
}

interface Session {
  bridge: SocatBridge;
  /** The guest's dev/hvcN points at this session's terminal; false when socat failed. */
  linked: Promise<boolean>;
}

/**
 * One console port: a unix socket the host connects to (one client at a time, as QEMU's
 * chardev socket serves one; the next waits its turn), bridged to the pseudo-terminal of the current session. A session
 * starts when the host connects or a program names the console, and the next one starts as
 * soon as it ends while the host stays connected. Bytes that find no one on the other side are
 * dropped, as a virtio console drops output for an unconnected host.
 */
class ConsolePort {
  private server: Server | undefined;
  private host: Socket | undefined;
  /** Hosts that connected while another was served, in order, as a listening socket's backlog. */
  private readonly waiting: Socket[] = [];
  private session: Session | undefined;
  private closing = false;

  constructor(
    private readonly index: number,
    readonly socketPath: string,
    readonly linkPath: string,
    private readonly socat: string,
    private readonly log: (message: string) => void,
  ) {}

  async listen(): Promise<void> {
    await rm(this.linkPath, { force: true });
    this.server = await listenPrivate(this.socketPath, (socket) => this.accept(socket));
  }

  /** The console for a program that names it, held for the session until the program releases it. */
  async claim(): Promise<DeviceClaim> {
    const deadline = Date.now() + HANDOVER_TIMEOUT_MS;
    while (!this.closing) {
      const session = (this.session ??= this.startSession());
      const left = deadline - Date.now();
      if (session.bridge.over && left > 0) {
        // The last session is on its way out: its terminal must not be handed to a new program.
        await Promise.race([session.bridge.exited, sleep(left)]);
        continue;
      }
      // Past the wait, a terminal something still holds is shared, as a real console would be.
      if (session.bridge.ending || !(await session.linked) || session.bridge.ending) break;
      return { hostPath: this.linkPath, release: session.bridge.hold() };
    }
    // No terminal: the program finds no device there, as on a guest without the port.
    return { hostPath: this.linkPath, release: async () => undefined };
  }

  async close(): Promise<void> {
    this.closing = true;
    this.host?.destroy();
    for (const socket of this.waiting.splice(0)) socket.destroy();
    this.session?.bridge.kill();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(this.socketPath, { force: true });
    await rm(this.linkPath, { force: true });
  }

  kill(): void {
    this.closing = true;
    this.session?.bridge.kill();
  }

  /** A host connection: served at once when the port is free, else when the hosts before it have gone. */
  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    if (this.closing) {
      socket.destroy();
      return;
    }
    socket.pause();
    socket.on('close', () => {
      const waiting = this.waiting.indexOf(socket);
      if (waiting >= 0) this.waiting.splice(waiting, 1);
      if (this.host !== socket) return;
      this.host = undefined;
      this.session?.bridge.hostLeft();
      const next = this.waiting.shift();
      if (next) this.serve(next);
    });
    if (this.host) this.waiting.push(socket);
    else this.serve(socket);
  }

  private serve(socket: Socket): void {
    this.host = socket;
    socket.on('data', (chunk: Buffer) => this.session?.bridge.write(chunk));
    socket.resume();
    this.session ??= this.startSession();
  }

  private startSession(): Session {
    let usable = false;
    const bridge: SocatBridge = new SocatBridge(this.socat, {
      output: (chunk) => this.host?.write(chunk),
      ended: (pty) => void this.unlink(pty),
      exited: () => {
        if (this.session?.bridge !== bridge) return;
        this.session = undefined;
        // A fresh terminal for the next session while the host stays; a socat that never
        // worked is not retried until the host connects again.
        if (this.host && !this.closing && usable) this.session = this.startSession();
      },
      log: (message) => this.log(`console ${this.index}: ${message}`),
    });
    const linked = bridge.ready.then(async (pty) => {
      if (!pty || bridge.ending) return false;
      await this.link(pty);
      usable = true;
      return true;
    });
    return { bridge, linked: linked.catch(() => false) };
  }

  /** Points dev/hvcN at the terminal in one step, so a program never opens a half-made link. */
  private async link(pty: string): Promise<void> {
    const next = `${this.linkPath}.next`;
    await rm(next, { force: true });
    await symlink(pty, next);
    await rename(next, this.linkPath);
  }

  /** A stale link could point at a terminal number the host hands out again to someone else. */
  private async unlink(pty: string | undefined): Promise<void> {
    try {
      if (pty && (await readlink(this.linkPath)) === pty) await rm(this.linkPath, { force: true });
    } catch {
      // already gone
    }
  }
}

class GuestConsoles implements ConsolePorts {
  constructor(
    private readonly root: string,
    private readonly ports: readonly ConsolePort[],
    readonly unavailable?: string,
  ) {}

  get offered(): number {
    return this.ports.length;
  }

  async claim(guestPath: string): Promise<DeviceClaim | undefined> {
    const index = consoleDeviceIndex(guestPath);
    if (index === undefined) return undefined;
    // Never the host's own /dev/hvcN: a guest program must not reach the host's console.
    return (await this.ports[index]?.claim()) ?? { hostPath: deviceLink(this.root, index), release: async () => undefined };
  }

  async close(): Promise<void> {
    await Promise.all(this.ports.map((port) => port.close()));
  }

  kill(): void {
    for (const port of this.ports) port.kill();
  }
}

function deviceLink(root: string, index: number): string {
  return join(root, 'dev', `hvc${index}`);
}

/** Why the guest's dev folder cannot hold the console links, or undefined when it can. */
async function devFolderProblem(root: string): Promise<string | undefined> {
  const dev = join(root, 'dev');
  try {
    if (!(await lstat(dev)).isDirectory()) return "the guest's /dev is not a folder";
  } catch {
    await mkdir(dev, { mode: 0o755 });
  }
  return undefined;
}

/** The VM's console ports, listening; none (with the reason, in the console log too) when the host cannot offer them. */
export async function startConsolePorts(options: ConsolePortsOptions): Promise<ConsolePorts> {
  const none = (reason: string): ConsolePorts => {
    options.log(`no console ports: ${reason}`);
    return new GuestConsoles(options.root, [], reason);
  };
  if (options.ports <= 0) return new GuestConsoles(options.root, [], 'the VM was made without console ports');
  if (!options.socat) return none(SOCAT_MISSING);
  const problem = await devFolderProblem(options.root);
  if (problem) return none(problem);
  const longest = consoleSocketPath(options.agentSocketPath, options.ports - 1);
  if (Buffer.byteLength(longest) > UNIX_SOCKET_PATH_MAX) return none(`the socket path ${longest} is longer than unix sockets allow`);
  const ports: ConsolePort[] = [];
  try {
    for (let index = 0; index < options.ports; index++) {
      const port = new ConsolePort(index, consoleSocketPath(options.agentSocketPath, index), deviceLink(options.root, index), options.socat, options.log);
      ports.push(port);
      await port.listen();
    }
  } catch (error) {
    await Promise.all(ports.map((port) => port.close()));
    return none(`cannot listen for the host: ${(error as Error).message}`);
  }
  options.log(`console ports: hvc0-hvc${options.ports - 1} through ${options.socat}`);
  return new GuestConsoles(options.root, ports);
}
