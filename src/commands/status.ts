import { openCore } from '../core/open-core.js';
import { workspaceStatus, workspaceStatuses, type WorkspaceStatus } from '../core/workspace/workspace-status.js';
import { json, table } from './format.js';
import type { CommandContext } from './table.js';
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

/** Reads only: never takes a workspace's lock, so it answers while setup or a stop is running. */
export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length > 1) throw new UsageError('give at most one workspace name');
  const core = openCore({ env: context.env });
  const [name] = positionals;
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
