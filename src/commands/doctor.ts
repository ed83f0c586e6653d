import { runDoctor } from '../core/doctor/doctor.js';
import { openCore } from '../core/open-core.js';
import { json, table } from './format.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { json: { type: 'boolean' } } });
  const core = openCore({ env: context.env });
  const report = await runDoctor(
    core.commandRunner,
    core.paths,
    await core.plugins.reports(),
  );
  const exit = report.realHypervisors.length > 0 ? 0 : 1;
  if (values.json) {
    context.stdout.write(json({ checks: report.checks, realHypervisors: report.realHypervisors, ok: exit === 0 }));
    return exit;
  }
  const rows = report.checks.map((check) => [check.status.toUpperCase(), check.check, check.detail]);
  context.stdout.write(table(['STATUS', 'CHECK', 'DETAIL'], rows));
  for (const check of report.checks.filter((c) => c.fix)) context.stdout.write(`fix ${check.check}: ${check.fix}\n`);
  context.stdout.write(
    exit === 0
      ? `\nready: ${report.realHypervisors.join(', ')} can run real guests\n`
      : '\nno real hypervisor is usable here: twinbox falls back to the fake (simulated) hypervisor\n',
  );
  return exit;
}
