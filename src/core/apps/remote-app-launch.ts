import { closeSync, fstatSync, mkdirSync, openSync, readSync, rmSync, statSync, truncateSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TwinboxError, type CommandRunner } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { SharedFolder } from '../redirection/shared-folders.js';
import type { CatalogApp } from '../setup/app-catalog.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { freeRdpArguments, type RdpDrive } from './freerdp-arguments.js';
import { freeRdpFailure, type FreeRdpFailure } from './freerdp-exit.js';
import { oneTimePassword } from './one-time-password.js';
import { missingDriveFolders, rdpDrives } from './rdp-drives.js';
import type { RemoteAppRoute } from './remote-app-route.js';

/** A GUI app opened as an RDP RemoteApp window on this desktop, by a FreeRDP process left running. */
export interface RemoteAppWindow {
  via: 'remoteapp';
  /** The FreeRDP process on this host. */
  pid: number;
  client: { program: string; version: string };
  /** host:port of the guest's RDP server as FreeRDP reaches it. */
  address: string;
  /** FreeRDP's output (owner-only). */
  logFile: string;
}

/**
 * How long FreeRDP is watched after it starts: a wrong account, a closed port or a command
 * line it rejects ends it within this time; a session that is coming up is left running.
 */
export const FREERDP_GRACE_MS = 2_000;
/** A log grown past this is started afresh at the next launch. */
const LOG_LIMIT_BYTES = 1024 * 1024;
/** What FreeRDP needs of this session's environment to open its window. */
const DISPLAY_VARIABLES = ['DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY', 'XDG_RUNTIME_DIR'] as const;

/** `<workspace>/logs/remoteapp-<app>.log`, 0600 in a 0700 folder; returns it with the size it had. */
export function prepareLog(ws: Workspace, app: CatalogApp): { file: string; offset: number } {
  const dir = join(ws.layout.workspaceDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `remoteapp-${app.id}.log`);
  closeSync(openSync(file, 'a', 0o600));
  if (statSync(file).size > LOG_LIMIT_BYTES) truncateSync(file, 0);
  return { file, offset: statSync(file).size };
}

/** FreeRDP's telling line since `offset`, with the password blotted out should it ever appear. */
function lastLogLine(file: string, offset: number, password: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(offset, size - 64 * 1024);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, buffer, 0, buffer.length, start);
    const lines = buffer
      .toString('utf8')
      .split(/\r?\n/)
      .map((line) => line.replace(/^Password:\s*/, '').trim())
      .filter((line) => line !== '');
    // FreeRDP's own reason beats the usage text or stack trace that follows it: the last
    // ERRCONNECT_* line, else the last [ERROR] line, else the last line; its time stamp and
    // thread ids left out.
    const last = (test: (line: string) => boolean): string | undefined => [...lines].reverse().find(test);
    const line = last((candidate) => /\bERRCONNECT_[A-Z_]+/.test(candidate)) ?? last((candidate) => candidate.includes('[ERROR]')) ?? lines.at(-1);
    return line?.replace(/^\[[\d:]+\] \[\d+:\d+\] /, '').split(password).join('********');
  } finally {
    closeSync(fd);
  }
}

/** Who and what a FreeRDP launch was for, for its failure's message. */
export interface FreeRdpLaunchSubject {
  appName: string;
  user: string;
  client: { program: string; version: string };
  address: string;
  logFile: string;
}

function failureHint(failure: FreeRdpFailure, subject: FreeRdpLaunchSubject, exitCode: number | null): string {
  switch (failure.kind) {
    case 'signin':
      return `the guest refused the RDP account "${subject.user}": the image must create it and let it sign in over RDP (Windows: Remote Desktop Users); FreeRDP's output is in ${subject.logFile}`;
    case 'connect':
      return `nothing usable answered RDP at ${subject.address}: check that the guest's RDP server runs and allows RemoteApp; FreeRDP's output is in ${subject.logFile}`;
    case 'display':
      return 'FreeRDP opens its window on DISPLAY (X11) or WAYLAND_DISPLAY: run twinbox from the desktop session, or set publishing.remoteApp false';
    case 'client':
      return exitCode !== null && exitCode >= 18 && exitCode <= 24
        ? `${subject.client.program} ${subject.client.version} refused its command line (its usage text is in ${subject.logFile}): check the package's shared folders exist, or set publishing.remoteApp false`
        : `this FreeRDP (${subject.client.program} ${subject.client.version}) did not accept twinbox's command line; update FreeRDP, or set publishing.remoteApp false`;
    default:
      return `FreeRDP's output is in ${subject.logFile}`;
  }
}

/** The error twinbox shows for a FreeRDP that ended within its watch: exit code, meaning, FreeRDP's last line, and the fix. */
export function freeRdpLaunchError(subject: FreeRdpLaunchSubject, exitCode: number | null, failure: FreeRdpFailure, line: string | undefined): TwinboxError {
  const exitNote = exitCode === null ? failure.meaning : `exit ${exitCode}: ${failure.meaning}`;
  return new TwinboxError('remoteapp-failed', `FreeRDP could not open "${subject.appName}" through RDP RemoteApp (${exitNote})${line ? `: ${line}` : ''}`, {
    hint: failureHint(failure, subject, exitCode),
    details: { exitCode, log: subject.logFile },
  });
}

export interface FreeRdpStart {
  runner: CommandRunner;
  /** The client's executable. */
  path: string;
  args: readonly string[];
  /** Given on standard input only (`/from-stdin:force`). */
  password: string;
  env: Record<string, string>;
  /** FreeRDP's output goes here; `logOffset` is where this launch's output begins. */
  logFile: string;
  logOffset: number;
  sleep: (ms: number) => Promise<void>;
  /** How long FreeRDP is watched for an early exit (FREERDP_GRACE_MS unless given). */
  graceMs?: number;
}

export type FreeRdpStarted =
  | { pid: number; failed?: undefined }
  | { pid: number; failed: { exitCode: number | null; failure: FreeRdpFailure; line: string | undefined } };

/**
 * FreeRDP 2 swaps a /drive: name and path when the name names an existing folder and the path
 * does not (or the name is absolute and the path relative): client/common/cmdline.c,
 * freerdp_client_add_drive ("Path was entered as secondary argument, swap"), 2.0 to 2.11. A
 * name is relative to FreeRDP's working folder, so started in a folder holding `docs/`,
 * `/drive:docs,<path>` would share that `docs/` instead. FreeRDP therefore runs in an empty
 * folder of twinbox's own, beside its log, where no drive name is a path.
 */
function emptyFolderBeside(logFile: string): string {
  const dir = join(dirname(logFile), '.freerdp-cwd');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/**
 * Starts FreeRDP detached with the password on its standard input and watches it for
 * FREERDP_GRACE_MS: an exit that is a failure (freeRdpFailure) is returned with FreeRDP's
 * last line (the password blotted out); a client still running is a session coming up.
 */
export async function startFreeRdp(start: FreeRdpStart): Promise<FreeRdpStarted> {
  let exited: (code: number | null) => void = () => undefined;
  const exit = new Promise<number | null>((resolve) => {
    exited = resolve;
  });
  const pid = await start.runner.spawnDetached(start.path, start.args, { cwd: emptyFolderBeside(start.logFile), env: start.env, logFile: start.logFile, input: `${start.password}\n`, onExit: (code) => exited(code) });
  const outcome = await Promise.race([exit.then((code) => ({ code })), start.sleep(start.graceMs ?? FREERDP_GRACE_MS).then(() => undefined)]);
  if (!outcome) return { pid };
  const line = lastLogLine(start.logFile, start.logOffset, start.password);
  const failure = freeRdpFailure(outcome.code, line);
  return failure ? { pid, failed: { exitCode: outcome.code, failure, line } } : { pid };
}

/** Refuses a launch whose RDP drive folders are missing on this host, before any password is set. */
export function checkDriveFolders(appName: string, drives: readonly RdpDrive[]): void {
  const missing = missingDriveFolders(drives);
  if (missing.length === 0) return;
  const list = missing.map((drive) => `${drive.path} (\\\\tsclient\\${drive.name})`).join(', ');
  throw new TwinboxError('remoteapp-drive-missing', `cannot open "${appName}" through RDP RemoteApp: the shared folder ${list} does not exist on this host`, {
    hint: `create it (mkdir -p ${missing.map((drive) => JSON.stringify(drive.path)).join(' ')}), or change the package's sharedFolders`,
    exit: 'usage',
  });
}

function skippedDrives(ws: Workspace, app: CatalogApp, skipped: Array<{ folder: SharedFolder; reason: string }>): void {
  for (const { folder, reason } of skipped) {
    ws.events.event('warn', EventCodes.remoteAppDriveSkipped, `shared folder ${folder.host} is not redirected to ${app.name}: ${reason}`, { app: app.id, host: folder.host, guest: folder.guest });
  }
}

/**
 * Opens a GUI app as an RDP RemoteApp window: sets a fresh one-time password for the RDP
 * account through the guest agent, starts FreeRDP detached (it outlives twinbox, its output
 * in an owner-only log) with the password on its standard input only, and watches it for a
 * moment. The password is never in an argument, a log, an event or a file.
 */
export async function openRemoteApp(ws: Workspace, route: RemoteAppRoute, app: CatalogApp, command: readonly string[], sharedFolders: readonly SharedFolder[]): Promise<RemoteAppWindow> {
  const address = `${route.address.host}:${route.address.port}`;
  const { drives, skipped } = rdpDrives(sharedFolders, route.client.major);
  skippedDrives(ws, app, skipped);
  checkDriveFolders(app.name, drives);
  const args = freeRdpArguments(route.client, {
    address: route.address,
    user: route.rdp.user,
    domain: route.rdp.domain,
    program: command[0]!,
    args: command.slice(1),
    name: app.name,
    wmClass: `twinbox-${ws.name}-${app.id}`,
    drives,
  });
  const password = oneTimePassword();
  await route.setUserPassword(route.rdp.user, password);
  ws.events.event('info', EventCodes.remoteAppPasswordSet, `a one-time RDP password was set for guest account "${route.rdp.user}"`, { app: app.id, user: route.rdp.user });

  const log = prepareLog(ws, app);
  const env = ws.core.env;
  const display = Object.fromEntries(DISPLAY_VARIABLES.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const runner = ws.core.commandRunner;
  const client = { program: route.client.program, version: route.client.version };
  const started = await startFreeRdp({ runner, path: route.client.path, args, password, env: display, logFile: log.file, logOffset: log.offset, sleep: (ms) => ws.clock.sleep(ms) });
  if (started.failed) {
    const { exitCode, failure, line } = started.failed;
    const exitNote = exitCode === null ? failure.meaning : `exit ${exitCode}: ${failure.meaning}`;
    ws.events.event('error', EventCodes.remoteAppFailed, `FreeRDP could not open ${app.name} (${exitNote})${line ? `: ${line}` : ''}`, { app: app.id, exitCode, address, log: log.file });
    throw freeRdpLaunchError({ appName: app.name, user: route.rdp.user, client, address, logFile: log.file }, exitCode, failure, line);
  }
  const pid = started.pid;
  ws.events.event('info', EventCodes.remoteAppOpened, `${app.name} opened through RDP RemoteApp (FreeRDP ${client.version}, pid ${pid})`, { app: app.id, client: client.program, version: client.version, pid, address });
  return { via: 'remoteapp', pid, client, address, logFile: log.file };
}
