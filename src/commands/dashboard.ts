import { TwinboxError } from '../plugin-api/index.js';
import type { Core } from '../core/open-core.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs } from './usage-error.js';

/** How often the list is read again: fresh enough to watch a start. */
const POLL_MS = 2_000;
/** Once five reads in a row found nothing new: an idle dashboard costs well under 1% of a core. */
const QUIET_POLL_MS = 5_000;
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
  return openDashboard(context.env);
}

/**
 * Runs the dashboard on this terminal until it is closed, on `core` or one it opens. Only the
 * dashboard loads Ink, and only once it knows it can draw; it draws its first frame first, then
 * loads twinbox's core (which `core` may have done already).
 */
export async function openDashboard(env: NodeJS.ProcessEnv, core?: Core): Promise<number> {
  const { runDashboard } = await withoutFetch(() => import('../ui/dashboard/run-dashboard.js'));
  const open = async () => {
    const [{ DashboardService }, { openCore }] = await Promise.all([import('../ui/dashboard/dashboard-service.js'), import('../core/open-core.js')]);
    const service = new DashboardService(core ?? openCore({ env }));
    const firstRows = service.rows(PING_TIMEOUT_MS);
    // The dashboard's first poll reports a failure of this read; this keeps it from being unhandled meanwhile.
    firstRows.catch(() => undefined);
    return { service, firstRows };
  };
  const { abandoned } = await runDashboard(open, { pollMs: POLL_MS, quietPollMs: QUIET_POLL_MS, pingTimeoutMs: PING_TIMEOUT_MS }, env);
  // The user quit while an action ran and was told it stops halfway: waiting for it would keep
  // the terminal, so the process ends here (the terminal is restored; locks of a dead process
  // are recovered and setup resumes from its journal).
  if (abandoned) process.exit(0);
  return 0;
}
