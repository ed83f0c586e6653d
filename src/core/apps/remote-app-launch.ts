import { mkdirSync, openSync, closeSync, readSync, statSync, truncateSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { Tokens, TwinboxError, type CommandRunner } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { SharedFolder } from '../redirection/shared-folders.js';
import type { CatalogApp } from '../setup/app-catalog.js';
import { CoreTokens } from '../tokens.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { freeRdpArguments } from './freerdp-arguments.js';
import { freeRdpFailure, type FreeRdpFailure } from './freerdp-exit.js';
import { oneTimePassword } from './one-time-password.js';
import { rdpDrives } from './rdp-drives.js';
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
const FREERDP_GRACE_MS = 2_000;
/** A log grown past this is started afresh at the next launch. */
const LOG_LIMIT_BYTES = 1024 * 1024;
/** What FreeRDP needs of this session's environment to open its window. */
const DISPLAY_VARIABLES = ['DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY', 'XDG_RUNTIME_DIR'] as const;

/** `<workspace>/logs/remoteapp-<app>.log`, 0600 in a 0700 folder; returns it with the size it had. */
function prepareLog(ws: Workspace, app: CatalogApp): { file: string; offset: number } {
  const dir = join(ws.layout.workspaceDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `remoteapp-${app.id}.log`);
  closeSync(openSync(file, 'a', 0o600));
  if (statSync(file).size > LOG_LIMIT_BYTES) truncateSync(file, 0);
  return { file, offset: statSync(file).size };
}

/** The last line FreeRDP wrote since `offset`, with the password blotted out should it ever appear. */
function lastLogLine(file: string, offset: number, password: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(offset, size - 64 * 1024);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && line !== 'Password:');
    return lines.at(-1)?.split(password).join('********');
  } finally {
    closeSync(fd);
  }
}

function failureHint(failure: FreeRdpFailure, route: RemoteAppRoute, address: string, logFile: string): string {
  switch (failure.kind) {
    case 'signin':
      return `the guest refused the RDP account "${route.rdp.user}": the image must create it and let it sign in over RDP (Windows: Remote Desktop Users); FreeRDP's output is in ${logFile}`;
    case 'connect':
      return `nothing usable answered RDP at ${address}: check that the guest's RDP server runs and allows RemoteApp; FreeRDP's output is in ${logFile}`;
    case 'client':
      return `this FreeRDP (${route.client.program} ${route.client.version}) did not accept twinbox's command line; update FreeRDP, or set publishing.remoteApp false`;
    default:
      return `FreeRDP's output is in ${logFile}`;
  }
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
  const { drives, skipped } = rdpDrives(sharedFolders);
  skippedDrives(ws, app, skipped);
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
  const env = ws.core.container.resolve<NodeJS.ProcessEnv>(CoreTokens.Environment);
  const display = Object.fromEntries(DISPLAY_VARIABLES.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  let exited: (code: number | null) => void = () => undefined;
  const exit = new Promise<number | null>((resolve) => {
    exited = resolve;
  });
  const runner = ws.core.container.resolve<CommandRunner>(Tokens.CommandRunner);
  const pid = await runner.spawnDetached(route.client.path, args, { env: display, logFile: log.file, input: `${password}\n`, onExit: (code) => exited(code) });

  const outcome = await Promise.race([exit.then((code) => ({ code })), ws.clock.sleep(FREERDP_GRACE_MS).then(() => undefined)]);
  const failure = outcome ? freeRdpFailure(outcome.code) : undefined;
  if (outcome && failure) {
    const line = lastLogLine(log.file, log.offset, password);
    const exitNote = outcome.code === null ? failure.meaning : `exit ${outcome.code}: ${failure.meaning}`;
    ws.events.event('error', EventCodes.remoteAppFailed, `FreeRDP could not open ${app.name} (${exitNote})${line ? `: ${line}` : ''}`, { app: app.id, exitCode: outcome.code, address, log: log.file });
    throw new TwinboxError('remoteapp-failed', `FreeRDP could not open "${app.name}" through RDP RemoteApp (${exitNote})${line ? `: ${line}` : ''}`, {
      hint: failureHint(failure, route, address, log.file),
      details: { exitCode: outcome.code, log: log.file },
    });
  }
  const client = { program: route.client.program, version: route.client.version };
  ws.events.event('info', EventCodes.remoteAppOpened, `${app.name} opened through RDP RemoteApp (FreeRDP ${client.version}, pid ${pid})`, { app: app.id, client: client.program, version: client.version, pid, address });
  return { via: 'remoteapp', pid, client, address, logFile: log.file };
}
