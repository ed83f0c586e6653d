import { TwinboxError } from '../../plugin-api/index.js';
import { runApp, type RunAppIo, type RunAppResult } from '../apps/run-app.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { openUrlInGuest } from './guest-opener.js';
import { openOnHost } from './host-opener.js';
import { loggableUrl, parseOpenTarget } from './open-target.js';
import { routeTarget, type Route } from './route.js';

export interface OpenRedirectedOptions {
  /** Where a relative file path is taken from. */
  cwd: string;
  /** Paths of this twinbox, so that a $BROWSER naming twinbox is not called back. */
  selfPaths: readonly string[];
  /** The terminal a file's guest app runs in (command and terminal apps). */
  io: RunAppIo;
  onProgress?: (message: string) => void;
  agentTimeoutMs?: number;
}

export interface OpenRedirectedResult {
  route: Route;
  /** The host program that opened it. */
  via?: string;
  /** The guest process that opens a web address. */
  pid?: number;
  /** A file's guest app that ran to its end: its exit code. */
  exitCode?: number | null;
  /** A file's GUI app, left running on the VM's screen. */
  launched?: RunAppResult['launched'];
  /** Host openers passed over before `via`, with why. */
  skipped?: string[];
}

/** Explains where an address or file would open, without opening anything. */
export async function explainOpen(core: Core, text: string, cwd: string): Promise<Route> {
  return routeTarget(core, parseOpenTarget(text, cwd));
}

/**
 * `twinbox open`: a web address matching a workspace's redirection rules opens in that
 * guest's browser, a file whose type a workspace maps to an app opens in that app (through
 * a shared folder), and everything else opens on the host.
 */
export async function openRedirected(core: Core, text: string, options: OpenRedirectedOptions): Promise<OpenRedirectedResult> {
  const target = parseOpenTarget(text, options.cwd);
  const route = await routeTarget(core, target);
  const events = core.events;
  for (const problem of route.problems) events.event('warn', EventCodes.redirectionRuleInvalid, problem);
  if (route.blocked) throw new TwinboxError(route.blocked.code, route.blocked.message, { hint: route.blocked.hint, exit: 'usage' });

  if (route.destination === 'guest' && target.kind === 'web') {
    const opened = await openUrlInGuest(core, route.workspace!, target.url.href, { onProgress: options.onProgress, agentTimeoutMs: options.agentTimeoutMs });
    return { route, pid: opened.pid };
  }
  if (route.destination === 'guest' && target.kind === 'file') {
    openWorkspace(core, route.workspace!).events.event('info', EventCodes.fileRedirected, `opening a .${target.extension} file with ${route.app}`, { app: route.app, guestPath: route.guestPath });
    const result = await runApp(core, route.workspace!, route.app!, options.io, { args: [route.guestPath!], onProgress: options.onProgress, agentTimeoutMs: options.agentTimeoutMs });
    return { route, exitCode: result.exitCode, launched: result.launched };
  }
  const runner = core.commandRunner;
  const env = core.env;
  const hostTarget = target.kind === 'file' ? target.path : target.text;
  const opened = await openOnHost(hostTarget, target.kind === 'file' ? 'file' : 'url', { runner, env, selfPaths: options.selfPaths });
  const what = target.kind === 'file' ? 'a file' : target.kind === 'web' ? loggableUrl(target.url) : `a ${target.scheme}: address`;
  events.event('info', EventCodes.urlOpenedOnHost, `opened ${what} on the host with ${opened.via}`, { via: opened.via });
  return { route, via: opened.via, skipped: opened.skipped };
}
