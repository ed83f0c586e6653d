import type { Fleet } from '../core/fleet/fleet.js';
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
  /** One fleet host instead of this machine and the `hosts` setting's (--host NAME|ssh://…, or TWINBOX_HOST). */
  host?: string;
}

/**
 * The hosts the dashboard streams besides (or, with --host, instead of) this machine: none
 * when the `hosts` setting is empty and no --host was given, and the dashboard is as it always was.
 */
async function openFleet(core: Core, env: NodeJS.ProcessEnv, flags: DashboardFlags): Promise<{ fleet?: Fleet; local: boolean }> {
  const hosts = core.settings.get('hosts');
  if (flags.host === undefined && Object.keys(hosts).length === 0) return { local: true };
  const [{ Fleet, chooseHost }, { ensurePrivateRuntimeDir }, { packageVersion }] = await Promise.all([
    import('../core/fleet/fleet.js'),
    import('../core/private-runtime-dir.js'),
    import('../core/install-root.js'),
  ]);
  const chosen = flags.host === undefined ? Object.entries(hosts).map(([name, address]) => ({ name, address })) : [chooseHost(flags.host, hosts)];
  const runtimeDir = core.paths.runtimeDir;
  ensurePrivateRuntimeDir(runtimeDir);
  const fleet = new Fleet(chosen, { runtimeDir, localVersion: packageVersion(), remoteCommand: env.TWINBOX_REMOTE_COMMAND, sshConfig: env.TWINBOX_SSH_CONFIG, intervalMs: Math.max(200, Math.min(flags.pollMs, 2000)) });
  // However the dashboard ends (q, a signal, a dropped terminal: each ends in process.exit), its ssh streams end with it.
  process.once('exit', () => fleet.stop());
  // The dashboard starts the streams once its first list is on screen (use-dashboard.ts).
  return { fleet, local: flags.host === undefined };
}

/**
 * Runs the dashboard on this terminal until it is closed, on `core` or one it opens. Only the
 * dashboard loads Ink, and only once it knows it can draw; it draws its first frame first, then
 * loads twinbox's core (which `core` may have done already).
 */
export async function openDashboard(env: NodeJS.ProcessEnv, core?: Core, flags: DashboardFlags = { pollMs: POLL_MS, readOnly: false }): Promise<number> {
  refuseDumbTerminal(env, 'the dashboard', 'run `twinbox status` (or `twinbox status --json`) for the same information as plain text');
  const { runDashboard } = await withoutFetch(() => import('../ui/dashboard/run-dashboard.js'));
  let opened: Fleet | undefined;
  const open = async () => {
    const [{ DashboardService }, { openCore }] = await Promise.all([import('../ui/dashboard/dashboard-service.js'), import('../core/open-core.js')]);
    const here = core ?? openCore({ env });
    const { fleet, local } = await openFleet(here, env, flags);
    opened = fleet;
    const service = new DashboardService(here, fleet, local);
    const firstRows = service.rows(PING_TIMEOUT_MS);
    // The dashboard's first poll reports a failure of this read; this keeps it from being unhandled meanwhile.
    firstRows.catch(() => undefined);
    return { service, firstRows };
  };
  // A slower refresh than the quiet one is used for both; a faster one still quiets down to 5 s.
  const timing = { pollMs: flags.pollMs, quietPollMs: Math.max(flags.pollMs, QUIET_POLL_MS), pingTimeoutMs: Math.min(PING_TIMEOUT_MS, Math.max(250, flags.pollMs)) };
  const { abandoned } = await runDashboard(open, { ...timing, readOnly: flags.readOnly }, env).finally(() => opened?.stop());
  // The user quit while an action ran and was told it stops halfway: waiting for it would keep
  // the terminal, so the process ends here (the terminal is restored; locks of a dead process
  // are recovered and setup resumes from its journal).
  if (abandoned) process.exit(0);
  return 0;
}
