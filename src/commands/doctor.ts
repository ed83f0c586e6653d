import { runDoctor, workspaceChecks } from '../core/doctor/doctor.js';
import { sharingChecks } from '../core/doctor/sharing-check.js';
import { loadManifest } from '../core/workspace/load-manifest.js';
import { readGuestOs } from '../core/workspace/guest-os.js';
import { workspaceLayout } from '../core/workspace/layout.js';
import { openRegistry } from '../core/workspace/open-workspace.js';
import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { json, table } from './format.js';
import { parseCommandArgs } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { json: { type: 'boolean' } } });
  const core = openCore({ env: context.env });
  const report = await runDoctor(
    core.commandRunner,
    core.paths,
    await core.plugins.reports(),
  );
  const paths = core.paths;
  report.checks.push(...workspaceChecks(openRegistry(core).list().map((entry) => ({ name: entry.name, guestOs: readGuestOs(workspaceLayout(paths, entry.name, entry.version)) }))));
  report.checks.push(...(await sharingChecks(core.plugins, openRegistry(core).list().map((entry) => ({ name: entry.name, hypervisor: entry.hypervisor, manifest: () => loadManifest(entry.storeDir, entry.name) })))));
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
