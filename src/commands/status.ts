import { openCore } from '../core/open-core.js';
import { workspaceStatus, workspaceStatuses, type WorkspaceStatus } from '../core/workspace/workspace-status.js';
import type { CommandContext } from './command-context.js';
import { json, table } from './format.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

function setupColumn(status: WorkspaceStatus): string {
  const { setup } = status;
  if (setup.state === 'ready' || setup.state === 'pending') return setup.state;
  if (setup.state === 'failed') return `failed ${setup.code ?? '?'} at ${setup.step ?? '?'}`;
  return `${setup.interrupted ? 'interrupted' : 'running'}${setup.step ? ` at ${setup.step}` : ''}`;
}

function stateColumn(status: WorkspaceStatus): string {
  return status.simulated ? `${status.state} (simulated)` : status.state;
}

const keyOf = (status: WorkspaceStatus) => `${status.scope}:${status.name}`;

/**
 * `status --json --watch`: one JSON line per workspace as first read, a `synced` line, then a
 * line each time a workspace changes, appears or goes, read every `intervalMs`, until a signal
 * or a closed pipe ends it (exit 0). What `--host` streams from a remote host.
 */
async function watch(read: () => Promise<WorkspaceStatus[]>, intervalMs: number, out: NodeJS.WritableStream): Promise<number> {
  let stopped = false;
  let wake: () => void = () => undefined;
  const stop = () => {
    stopped = true;
    wake();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
  // Each workspace as last told, by scope and name: a line goes out when its JSON differs.
  let known = new Map<string, { status: WorkspaceStatus; text: string }>();
  let first = true;
  while (!stopped) {
    const now = new Map((await read()).map((status) => [keyOf(status), { status, text: JSON.stringify(status) }] as const));
    for (const [key, { status, text }] of now) if (known.get(key)?.text !== text) line({ type: 'workspace', workspace: status });
    for (const [key, { status }] of known) if (!now.has(key)) line({ type: 'removed', name: status.name, scope: status.scope });
    if (first) line({ type: 'synced', at: new Date().toISOString() });
    first = false;
    known = now;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  return 0;
}

function interval(value: string | undefined): number {
  if (value === undefined) return 2000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.2 || seconds > 3600) throw new UsageError('--interval takes a number of seconds from 0.2 to 3600');
  return Math.round(seconds * 1000);
}

/** Reads only: never takes a workspace's lock, so it answers while setup or a stop is running. */
export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, watch: { type: 'boolean' }, interval: { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError('give at most one workspace name');
  if (values.watch && !values.json) throw new UsageError('--watch prints JSON lines: add --json');
  if (values.interval !== undefined && !values.watch) throw new UsageError('--interval goes with --watch');
  const core = openCore({ env: context.env });
  const [name] = positionals;
  if (values.watch) {
    const every = interval(values.interval);
    return watch(async () => (name ? [await workspaceStatus(core, name)] : await workspaceStatuses(core)), every, context.stdout);
  }
  const statuses = name ? [await workspaceStatus(core, name)] : await workspaceStatuses(core);
  if (values.json) {
    context.stdout.write(json(name ? statuses[0] : statuses));
    return 0;
  }
  if (statuses.length === 0) {
    context.stdout.write('no workspaces are installed; install one with `twinbox install PACKAGE`\n');
    return 0;
  }
  const rows = statuses.map((status) => [
    status.name,
    status.scope,
    status.version,
    status.hypervisor ?? '-',
    stateColumn(status),
    setupColumn(status),
    String(status.apps),
    status.lockedBy ? `${status.lockedBy.operation} (pid ${status.lockedBy.pid})` : '-',
    status.reason,
  ]);
  context.stdout.write(table(['NAME', 'SCOPE', 'VERSION', 'HYPERVISOR', 'STATE', 'SETUP', 'APPS', 'BUSY', 'REASON'], rows));
  return 0;
}
