import { runMaintenanceNow } from '../core/maintenance/run-maintenance.js';
import { maintenanceStatus } from '../core/maintenance/maintenance-status.js';
import type { MaintenanceOutcome } from '../core/maintenance/maintenance-record.js';
import { openCore } from '../core/open-core.js';
import { openRegistry, openWorkspace } from '../core/workspace/open-workspace.js';
import type { CommandContext } from './command-context.js';
import { json, table } from './format.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

const ACTIONS = ['run', 'status'] as const;

/** The exit code of a window's result, as the README's table has them. */
const EXIT: Record<MaintenanceOutcome['result'], number> = { success: 0, failed: 1, interrupted: 1, missed: 1, overrun: 5, 'skipped-in-use': 75 };

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [action, workspace, ...extra] = positionals;
  if (!action || !(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`say what to do: ${ACTIONS.join(', ')} (twinbox maintenance ACTION [WORKSPACE])`);
  if (extra.length > 0) throw new UsageError('too many arguments');
  const core = openCore({ env: context.env });
  const out = context.stdout;
  if (action === 'run') {
    if (!workspace) throw new UsageError('give the workspace: twinbox maintenance run WORKSPACE');
    const progress = values.json ? undefined : (message: string) => context.stderr.write(`twinbox: ${message}\n`);
    const outcome = await runMaintenanceNow(core, workspace, progress);
    if (values.json) out.write(json(outcome));
    else out.write(`maintenance of ${workspace}: ${outcome.result} in ${Math.round(outcome.durationMs / 1000)} s${outcome.error ? ` (${outcome.error})` : ''}\n`);
    return EXIT[outcome.result];
  }
  const names = workspace ? [workspace] : openRegistry(core).list().map((entry) => entry.name);
  const rows = [];
  for (const name of names) rows.push({ workspace: name, ...(await maintenanceStatus(openWorkspace(core, name))) });
  if (values.json) out.write(json(rows));
  else if (rows.length === 0) out.write('no workspaces are installed\n');
  else {
    out.write(table(['WORKSPACE', 'NEXT', 'LAST', 'RESULT'], rows.map((row) => [
      row.workspace,
      row.next ? new Date(row.next).toLocaleString() : '-',
      row.running ? `running since ${new Date(row.running.startedAt).toLocaleString()}` : row.last ? new Date(row.last.startedAt).toLocaleString() : '-',
      row.running ? (row.running.interrupted ? 'cut short' : 'running') : (row.last?.result ?? '-'),
    ])));
  }
  return 0;
}
