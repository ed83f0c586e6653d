import { randomBytes } from 'node:crypto';
import type { Duplex, Readable, Writable } from 'node:stream';
import { isTwinboxError, TwinboxError, type GuestAgentSession, type VmDisplay } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import type { CatalogApp } from '../setup/app-catalog.js';
import type { AttachedVm } from '../workspace/attached-vm.js';
import { acquireLock, type HeldLock } from '../workspace/lock.js';
import { openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import { beginSession, recordWindowSession } from './app-sessions.js';
import { connectGuest, runningAndFree } from './guest-session.js';
import { findApp, publishedApps } from './published-apps.js';
import { guestArguments } from './guest-arguments.js';
import { startForApp } from './start-for-app.js';
import { takeBytes, TerminalInput, TERMINAL_MODES_OFF, type HostTerminal } from './host-terminal.js';
import { EndMarkerFilter, guestTerminalType, hangupCommand, newEndMarker, resizeCommand, streamingLaunchCommand, terminalLaunchCommand } from './guest-launch.js';
import { openRemoteApp, type RemoteAppWindow } from './remote-app-launch.js';
import { chooseRemoteApp, type RemoteAppMissing } from './remote-app-route.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';

export interface RunAppIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  terminal?: HostTerminal;
}

export interface RunAppOptions {
  args?: readonly string[];
  onProgress?: (message: string) => void;
  /** How long to wait for the workspace to come up. */
  agentTimeoutMs?: number;
  /** Turn arguments naming host paths under a shared folder into the guest's paths (relative ones from this folder). */
  mapPathsFrom?: string;
}

/** A GUI app started in the guest, its window on the VM's screen. */
export interface ScreenWindow {
  via: 'screen';
  /** The app's pid in the guest. */
  pid: number;
  display: VmDisplay;
}

/** Where a GUI app left running shows its window. */
export type GuiLaunch = RemoteAppWindow | ScreenWindow;

export interface RunAppResult {
  app: string;
  kind: CatalogApp['kind'];
  exitCode: number | null;
  /** The user left an interactive session with the escape key (or its input ended, `inputEnded`); the app was hung up. */
  detached?: boolean;
  /** Standard input ended and the app did not exit of the end of file it was given. */
  inputEnded?: boolean;
  /** A GUI app left running: as an RDP RemoteApp window on this desktop, or on the VM's screen. */
  launched?: GuiLaunch;
}

/** Ctrl-D: end of file to a program reading a terminal. */
const END_OF_FILE_BYTE = 0x04;
/** How long an app may go on after its input ended before it is hung up. */
export const INPUT_END_GRACE_MS = 5_000;
const CONSOLE_PORTS = 4;
/** A command app may run as long as it likes; the agent is polled meanwhile. */
const APP_TIMEOUT_MS = 7 * 24 * 3600_000;
/** Output the console still holds when the program has exited. */
const DRAIN_MS = 150;

/**
 * Runs a published app in the guest, starting (or setting up) the workspace first if needed:
 * a command app's output is printed as it comes and its exit code returned; a terminal app gets an
 * interactive session on a console port bridged to the user's terminal.
 */
export async function runApp(core: Core, name: string, appId: string, io: RunAppIo, options: RunAppOptions = {}): Promise<RunAppResult> {
  let published = await publishedApps(core, name);
  const known = published.apps.length > 0 ? findApp(published, appId) : undefined;
  // Before starting anything: without a display the app could not be seen anyway.
  if (known?.kind === 'gui') assertHostDisplay(core, known);
  // On a workspace that runs already the app's session is the only one opened with the agent;
  // otherwise the workspace is started (or set up, or waited for) first.
  const running = known !== undefined && (await runningAndFree(openWorkspace(core, name)));
  if (!running) await startForApp(core, name, { onProgress: options.onProgress, agentTimeoutMs: options.agentTimeoutMs }, openWorkspace(core, name).clock);
  if (!known) published = await publishedApps(core, name);
  const app = known ?? findApp(published, appId);
  if (app.kind === 'gui') assertHostDisplay(core, app);
  const ws = openWorkspace(core, name);
  let connection;
  try {
    connection = await connectGuest(ws, options.agentTimeoutMs, running);
  } catch (error) {
    // Stopped or suspended by another process since it was seen running: start it as for any app.
    if (!running || !isTwinboxError(error) || error.code !== 'vm-not-running') throw error;
    await startForApp(core, name, { onProgress: options.onProgress, agentTimeoutMs: options.agentTimeoutMs }, ws.clock);
    connection = await connectGuest(ws, options.agentTimeoutMs);
  }
  const { manifest, target, session } = connection;
  const args = options.mapPathsFrom === undefined ? (options.args ?? []) : guestArguments(manifest.sharedFolders, options.args ?? [], options.mapPathsFrom);
  const command = [...app.command, ...args];
  ws.events.event('info', EventCodes.appLaunched, `launching ${app.name} (${app.kind})`, { app: app.id });
  // Tells the host agent an app runs, so the close action waits until the last one has exited.
  const appSession = beginSession(ws.layout, app, ws.clock.now());
  try {
    if (app.kind === 'terminal') return await runTerminalApp(ws, target, session, app, command, io);
    if (app.kind === 'gui') return await launchGuiApp(ws, target, manifest, session, app, command);
    return await runCommandApp(ws, target, session, app, command, io);
  } catch (error) {
    ws.events.event('error', EventCodes.appLaunchFailed, `${app.name} failed to run: ${(error as Error).message}`, { app: app.id });
    throw error;
  } finally {
    appSession.end();
    await session.close().catch(() => undefined);
  }
}

/** A graphical app needs a screen on this side: an SSH session without X forwarding has none. */
function assertHostDisplay(core: Core, app: CatalogApp): void {
  const env = core.env;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return;
  throw new TwinboxError('no-display', `"${app.name}" is a graphical app, and this session has no display (neither DISPLAY nor WAYLAND_DISPLAY is set, as over SSH)`, {
    hint: 'run it from a desktop session, or connect with `ssh -X` (X forwarding); command and terminal apps work here',
  });
}

/**
 * Opens a graphical app and leaves it running: as an RDP RemoteApp window on this desktop where
 * the package's guest offers RDP and everything else needed is there (remote-app-route.ts),
 * otherwise started in the guest with its window on the VM's screen, which the hypervisor must
 * offer (vm.display). With neither, one error names what is missing for each.
 */
async function launchGuiApp(ws: Workspace, target: AttachedVm, manifest: WorkspaceManifest, session: GuestAgentSession, app: CatalogApp, command: string[]): Promise<RunAppResult> {
  const remote = await chooseRemoteApp(ws, target, manifest, session);
  let missing: RemoteAppMissing;
  if (!remote.route) missing = remote.missing;
  else {
    try {
      const launched = await openRemoteApp(ws, remote.route, app, command, manifest.sharedFolders);
      // The window is an app running until FreeRDP exits: the host agent's close action waits for it.
      recordWindowSession(ws.layout, app, launched.pid, ws.clock.now(), remote.route.rdp.user);
      return { app: app.id, kind: app.kind, exitCode: 0, launched };
    } catch (error) {
      // An agent that has the call but refuses it (blocked, too old): nothing was started yet.
      if (!isTwinboxError(error) || error.code !== 'guest-agent-unsupported') throw error;
      missing = { reason: `the guest agent cannot set the password of the RDP account "${remote.route.rdp.user}" (${error.message})`, hint: error.hint ?? 'update the guest agent' };
    }
  }
  const display = await target.hypervisor.display?.(target.vm);
  if (!display) throw noWayToShow(ws, target, manifest, app, missing);
  if (!missing.notOffered) {
    ws.events.event('info', EventCodes.remoteAppUnavailable, `${app.name} opens on the VM's screen, not through RDP RemoteApp: ${missing.reason}`, { app: app.id, reason: missing.reason });
  }
  const { pid } = await session.launch({ ...app, command });
  return { app: app.id, kind: app.kind, exitCode: 0, launched: { via: 'screen', pid, display } };
}

function noWayToShow(ws: Workspace, target: AttachedVm, manifest: WorkspaceManifest, app: CatalogApp, remote: RemoteAppMissing): TwinboxError {
  const asked = manifest.vm.display;
  // A package that asks for a screen the VM does not have now: the plugin said why (a missing
  // VirtualBox Extension Pack, a screen switched on only at the next cold start) in the log.
  const noScreen =
    asked === 'none'
      ? `the ${target.hypervisor.displayName} VM of "${ws.name}" has no screen twinbox can show`
      : `the ${target.hypervisor.displayName} VM of "${ws.name}" has no screen twinbox can show, though its package asks for one (vm.display "${asked}")`;
  const screenHint =
    asked === 'none'
      ? 'ask for a package with vm.display "console" (QEMU: VNC, VirtualBox: VRDE, Hyper-V: vmconnect); command and terminal apps work without one'
      : `\`twinbox logs ${ws.name}\` tells why the ${target.hypervisor.name} plugin gave it none (VirtualBox: the Extension Pack); a screen made possible since comes with the next start from powered off (\`twinbox stop ${ws.name}\`, then start)`;
  if (remote.notOffered) {
    return new TwinboxError('no-vm-display', `"${app.name}" is a graphical app, and ${noScreen}`, { hint: screenHint });
  }
  return new TwinboxError('no-vm-display', `"${app.name}" is a graphical app: it cannot open through RDP RemoteApp (${remote.reason}), and ${noScreen}`, {
    hint: asked === 'none' ? remote.hint : `${remote.hint}; or: ${screenHint}`,
    details: { remoteApp: remote.reason },
  });
}

/** A free console port of this workspace: each interactive session holds one. */
function claimConsole(ws: Workspace): { index: number; lock: HeldLock } {
  for (let index = 0; index < CONSOLE_PORTS; index++) {
    try {
      return { index, lock: acquireLock(`${ws.layout.workspaceDir}/console${index}.lock`, ws.name, `terminal session on console ${index}`) };
    } catch (error) {
      if (!isTwinboxError(error) || error.code !== 'busy') throw error;
    }
  }
  throw new TwinboxError('consoles-busy', `all ${CONSOLE_PORTS} console ports of workspace "${ws.name}" are in use`, {
    hint: 'close another terminal app of this workspace first',
    exit: 'busy',
  });
}

async function openConsole(target: AttachedVm, index: number, ws: Workspace): Promise<Duplex> {
  try {
    return await target.hypervisor.openChannel(target.vm, `console${index}`);
  } catch (error) {
    throw new TwinboxError('no-console', `the ${target.hypervisor.displayName} VM of "${ws.name}" offers no console port for terminal apps (${(error as Error).message})`, {
      hint: 'run terminal apps on a hypervisor with console ports (QEMU, or the fake one with socat installed); command apps work everywhere',
      cause: error,
    });
  }
}

/**
 * A command app's standard output streams while it runs where the VM has a free console port
 * and the guest a POSIX shell (Linux): the program writes it to the console, which is read
 * here as it comes; its standard error comes from the guest agent when it ends. Elsewhere (no
 * console ports, Windows guests, all ports taken) the agent runs it and hands over both
 * streams at the end.
 */
async function runCommandApp(ws: Workspace, target: AttachedVm, session: GuestAgentSession, app: CatalogApp, command: string[], io: RunAppIo): Promise<RunAppResult> {
  const streamed = (await session.osInfo()).id === 'mswindows' ? undefined : await consoleForOutput(ws, target);
  if (!streamed) {
    const result = await session.exec({ path: command[0]!, args: command.slice(1), timeoutMs: APP_TIMEOUT_MS });
    io.stdout.write(Buffer.from(result.stdout));
    io.stderr.write(Buffer.from(result.stderr));
    return { app: app.id, kind: app.kind, exitCode: result.exitCode };
  }
  const { index, lock, console } = streamed;
  try {
    const marker = newEndMarker(randomBytes(16));
    const output = new EndMarkerFilter(marker, (bytes) => io.stdout.write(bytes));
    console.on('data', (chunk: Buffer) => output.write(chunk));
    console.on('error', () => undefined);
    const result = await session.exec({ ...streamingLaunchCommand(index, command, marker), timeoutMs: APP_TIMEOUT_MS });
    // The last bytes may still be on their way through the console: the end marker says when
    // they are all here; a guest that never sends it is given DRAIN_MS.
    let drained: NodeJS.Timeout | undefined;
    await Promise.race([output.ended, new Promise((resolve) => (drained = setTimeout(resolve, DRAIN_MS)))]);
    clearTimeout(drained);
    output.flush();
    io.stdout.write(Buffer.from(result.stdout));
    io.stderr.write(Buffer.from(result.stderr));
    return { app: app.id, kind: app.kind, exitCode: result.exitCode };
  } finally {
    console.destroy();
    lock.release();
  }
}

/** A claimed, open console port for a command app's output, or undefined when there is none to use. */
async function consoleForOutput(ws: Workspace, target: AttachedVm): Promise<{ index: number; lock: HeldLock; console: Duplex } | undefined> {
  let claimed: { index: number; lock: HeldLock };
  try {
    claimed = claimConsole(ws);
  } catch (error) {
    if (isTwinboxError(error) && error.code === 'consoles-busy') return undefined;
    throw error;
  }
  try {
    return { ...claimed, console: await target.hypervisor.openChannel(target.vm, `console${claimed.index}`) };
  } catch {
    // A hypervisor without console ports (VirtualBox, Hyper-V, the fake without socat).
    claimed.lock.release();
    return undefined;
  }
}

async function runTerminalApp(ws: Workspace, target: AttachedVm, session: GuestAgentSession, app: CatalogApp, command: string[], io: RunAppIo): Promise<RunAppResult> {
  const { index, lock } = claimConsole(ws);
  const restore: Array<() => void> = [() => lock.release()];
  // Run last but one: once the console is closed, no late byte of the app can turn a mode on again.
  if (io.terminal) restore.push(() => io.stdout.write(TERMINAL_MODES_OFF));
  const onOutput = (chunk: Buffer) => io.stdout.write(chunk);
  try {
    const console = await openConsole(target, index, ws);
    restore.push(() => {
      console.off('data', onOutput);
      console.destroy();
    });
    const size = io.terminal?.size() ?? { rows: 24, cols: 80 };
    let detach: ((why: 'detached' | 'input-ended') => void) | undefined;
    const detached = new Promise<'detached' | 'input-ended'>((resolve) => {
      detach = resolve;
    });
    const graceOver = new AbortController();
    restore.push(() => graceOver.abort());
    // Bytes, whoever set stdin's encoding (Ink leaves it UTF-8); Ctrl-] leaves, unless pasted.
    const input = new TerminalInput(io.stdin.readableEncoding ?? 'utf8');
    takeBytes(io.stdin);
    const onInput = (chunk: Buffer | string) => {
      const { bytes, escape } = input.read(chunk);
      if (bytes.length > 0) console.write(bytes);
      if (escape) detach?.('detached');
    };
    console.on('data', onOutput);
    console.on('error', () => detach?.('detached'));
    // No more input (a pipe or /dev/null at its end, a terminal gone): the app reads end of file,
    // as Ctrl-D gives it on a terminal; one that goes on regardless is hung up after a while,
    // as a closed terminal would, instead of waiting for keys that cannot come.
    const onInputEnd = () => {
      console.write(Buffer.from([END_OF_FILE_BYTE]));
      ws.clock.sleep(INPUT_END_GRACE_MS, graceOver.signal).then(
        () => detach?.('input-ended'),
        () => undefined,
      );
    };
    if (io.terminal) {
      io.terminal.setRawMode(true);
      restore.push(() => io.terminal?.setRawMode(false));
      const stopListening = io.terminal.onResize(() => {
        session.exec({ ...resizeCommand(index, io.terminal!.size()), timeoutMs: 10_000 }).catch(() => undefined);
      });
      restore.push(stopListening);
    }
    io.stdin.on('data', onInput);
    io.stdin.once('end', onInputEnd);
    io.stdin.resume();
    restore.push(() => {
      io.stdin.off('data', onInput);
      io.stdin.off('end', onInputEnd);
      io.stdin.pause();
    });
    const launch = terminalLaunchCommand(index, size, command, guestTerminalType(ws.core.env.TERM));
    const finished = session.exec({ ...launch, timeoutMs: APP_TIMEOUT_MS }).then((result) => result.exitCode);
    const outcome = await Promise.race([finished, detached]);
    if (outcome === 'detached' || outcome === 'input-ended') {
      // Hang up the program as a closed terminal would.
      await session.exec({ ...hangupCommand(index), timeoutMs: 10_000 }).catch(() => undefined);
      return { app: app.id, kind: app.kind, exitCode: null, detached: true, ...(outcome === 'input-ended' ? { inputEnded: true } : {}) };
    }
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    return { app: app.id, kind: app.kind, exitCode: outcome };
  } finally {
    for (const step of restore.reverse()) {
      try {
        step();
      } catch {
        // restoring the terminal must go on whatever one step does
      }
    }
  }
}
