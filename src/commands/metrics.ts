import { resolve } from 'node:path';
import { metricsText, writeMetricsFile } from '../core/metrics/write-metrics.js';
import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { prom: { type: 'string' } } });
  if (positionals.length > 0) throw new UsageError('the metrics cover every workspace: give no workspace name');
  if (values.prom === undefined || values.prom === '') throw new UsageError('give --prom FILE (a .prom file in node_exporter\'s textfile folder) or --prom - for standard output');
  const core = openCore({ env: context.env });
  if (values.prom === '-') context.stdout.write(await metricsText(core));
  else {
    await writeMetricsFile(core, resolve(values.prom));
    if (!values.prom.endsWith('.prom')) context.stderr.write("twinbox: note: node_exporter's textfile collector reads only files named *.prom\n");
  }
  return 0;
}
