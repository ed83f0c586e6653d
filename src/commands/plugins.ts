import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { json, table } from './format.js';
import { parseCommandArgs } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { json: { type: 'boolean' } } });
  const core = openCore({ env: context.env });
  const reports = await core.plugins.reports();
  if (values.json) {
    context.stdout.write(json(reports));
    return 0;
  }
  const rows = reports.map((plugin) => [
    plugin.name,
    plugin.kind,
    plugin.version,
    plugin.apiVersion,
    plugin.simulated ? `${plugin.status} (simulated)` : plugin.status,
    plugin.reason,
  ]);
  context.stdout.write(table(['NAME', 'KIND', 'VERSION', 'API', 'STATUS', 'REASON'], rows));
  return 0;
}
