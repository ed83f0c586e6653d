import type { Core } from '../core/open-core.js';
import { refuseDumbTerminal } from './terminal-checks.js';

/** How often the list is read again: fresh enough to watch a start. */
export const POLL_MS = 2_000;
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

/** What `twinbox dashboard` was asked for: how often to read the list, and whether actions are off. */
export interface DashboardFlags {
  /** Between reads of the list, in ms (--refresh SECONDS). */
  pollMs: number;
  /** Every action key off: a dashboard to watch, not to act from (--read-only). */
  readOnly: boolean;
}

/**
 * Runs the dashboard on this terminal until it is closed, on `core` or one it opens. Only the
 * dashboard loads Ink, and only once it knows it can draw; it draws its first frame first, then
 * loads twinbox's core (which `core` may have done already).
 */
export async function openDashboard(env: NodeJS.ProcessEnv, core?: Core, flags: DashboardFlags = { pollMs: POLL_MS, readOnly: false }): Promise<number> {
  refuseDumbTerminal(env, 'the dashboard', 'run `twinbox status` (or `twinbox status --json`) for the same information as plain text');
  const { runDashboard } = await withoutFetch(() => import('../ui/dashboard/run-dashboard.js'));
  const open = async () => {
    const [{ DashboardService }, { openCore }] = await Promise.all([import('../ui/dashboard/dashboard-service.js'), import('../core/open-core.js')]);
    const service = new DashboardService(core ?? openCore({ env }));
    const firstRows = service.rows(PING_TIMEOUT_MS);
    // The dashboard's first poll reports a failure of this read; this keeps it from being unhandled meanwhile.
    firstRows.catch(() => undefined);
    return { service, firstRows };
  };
  // A slower refresh than the quiet one is used for both; a faster one still quiets down to 5 s.
  const timing = { pollMs: flags.pollMs, quietPollMs: Math.max(flags.pollMs, QUIET_POLL_MS), pingTimeoutMs: Math.min(PING_TIMEOUT_MS, Math.max(250, flags.pollMs)) };
  const { abandoned } = await runDashboard(open, { ...timing, readOnly: flags.readOnly }, env);
  // The user quit while an action ran and was told it stops halfway: waiting for it would keep
  // the terminal, so the process ends here (the terminal is restored; locks of a dead process
  // are recovered and setup resumes from its journal).
  if (abandoned) process.exit(0);
  return 0;
}
