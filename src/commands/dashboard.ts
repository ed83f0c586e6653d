import { TwinboxError } from '../plugin-api/index.js';
import { openCore, type Core } from '../core/open-core.js';
import { DashboardService } from '../ui/dashboard/dashboard-service.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs } from './usage-error.js';

/** How often the list is read again: fresh enough to watch a start, cheap enough to idle well under 1% of a core. */
const POLL_MS = 2_000;
/** One guest-agent ping; a guest that takes longer shows "no answer". */
const PING_TIMEOUT_MS = 1_500;

/**
 * Ink's layout engine (yoga-layout) loads its WebAssembly, embedded as base64, through fetch()
 * whenever fetch exists, which makes Node load its whole HTTP client (undici, ~100 ms) to read
 * a data: URL; without fetch it decodes the same bytes itself. Nothing else runs fetch meanwhile.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!descriptor?.configurable) return load();
  Reflect.deleteProperty(globalThis, 'fetch');
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}

/** Whether both ends of this process are a terminal: the dashboard reads keys and draws a screen. */
export function onTerminal(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  parseCommandArgs({ args, options: {} });
  if (!onTerminal()) {
    throw new TwinboxError('not-a-terminal', 'the dashboard needs a terminal: standard input and output must both be one', {
      hint: 'run `twinbox status` (or `twinbox status --json`) for the same information as plain text',
      exit: 'usage',
    });
  }
  return openDashboard(openCore({ env: context.env }), context.env);
}

/** Runs the dashboard on this terminal until it is closed. */
export async function openDashboard(core: Core, env: NodeJS.ProcessEnv): Promise<number> {
  const service = new DashboardService(core);
  // The first read of the workspaces goes on while Ink loads (~100 ms bundled): the first frame
  // shows the list sooner. Only the dashboard loads Ink, and only once it knows it can draw.
  const firstRows = service.rows(PING_TIMEOUT_MS);
  firstRows.catch(() => undefined);
  const { runDashboard } = await withoutFetch(() => import('../ui/dashboard/run-dashboard.js'));
  return runDashboard(service, firstRows, { pollMs: POLL_MS, pingTimeoutMs: PING_TIMEOUT_MS }, env);
}
