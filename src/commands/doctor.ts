import { runDoctor, workspaceChecks } from '../core/doctor/doctor.js';
import { inspectState, type StateReport } from '../core/doctor/state-repair.js';
import { resolvePaths } from '../core/paths.js';
import { sharingChecks } from '../core/doctor/sharing-check.js';
import { loadManifest } from '../core/workspace/load-manifest.js';
import { readGuestOs } from '../core/workspace/guest-os.js';
import { workspaceLayout } from '../core/workspace/layout.js';
import { openRegistry } from '../core/workspace/open-workspace.js';
import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { json, table } from './format.js';
import { parseCommandArgs } from './usage-error.js';

/** `doctor --repair`: 0 when the state is whole now, 1 when something is left for you to fix, 75 when a repair needed a lock another process holds. */
function repairExit(state: StateReport): number {
  if (state.busy) return 75;
  return state.whole ? 0 : 1;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { json: { type: 'boolean' }, repair: { type: 'boolean' } } });
  const repair = values.repair ?? false;
  // Before the core is opened: opening it sweeps and rebuilds some of these things unasked.
  const state = await inspectState(resolvePaths(context.env), { repair });
  const core = openCore({ env: context.env });
  const report = await runDoctor(
    core.commandRunner,
    core.paths,
    await core.plugins.reports(),
  );
  const paths = core.paths;
  const registryUsable = !state.findings.some((finding) => finding.kind === 'registry' && finding.status !== 'repaired');
  if (registryUsable) {
    const entries = openRegistry(core).list();
    report.checks.push(...workspaceChecks(entries.map((entry) => ({ name: entry.name, guestOs: readGuestOs(workspaceLayout(paths, entry.name, entry.version)) }))));
    report.checks.push(...(await sharingChecks(core.plugins, entries.map((entry) => ({ name: entry.name, hypervisor: entry.hypervisor, manifest: () => loadManifest(entry.storeDir, entry.name) })))));
  }
  const hypervisorExit = report.realHypervisors.length > 0 ? 0 : 1;
  const exit = repair ? repairExit(state) : state.whole ? hypervisorExit : 1;
  if (values.json) {
    context.stdout.write(
      json({
        checks: report.checks,
        realHypervisors: report.realHypervisors,
        ok: exit === 0,
        state: { repair, whole: state.whole, findings: state.findings },
      }),
    );
    return exit;
  }
  const rows = report.checks.map((check) => [check.status.toUpperCase(), check.check, check.detail]);
  context.stdout.write(table(['STATUS', 'CHECK', 'DETAIL'], rows));
  for (const check of report.checks.filter((c) => c.fix)) context.stdout.write(`fix ${check.check}: ${check.fix}\n`);
  context.stdout.write(
    hypervisorExit === 0
      ? `\nready: ${report.realHypervisors.join(', ')} can run real guests\n`
      : '\nno real hypervisor is usable here: twinbox falls back to the fake (simulated) hypervisor\n',
  );
  if (state.findings.length === 0) {
    context.stdout.write(repair ? 'state: nothing to repair; every state file is whole\n' : 'state: every state file is whole\n');
    return exit;
  }
  context.stdout.write(`\n${table(['STATE', 'WHAT', 'FILE', 'PROBLEM'], state.findings.map((finding) => [finding.status.toUpperCase(), finding.workspace ? `${finding.kind} (${finding.workspace})` : finding.kind, finding.file, finding.problem]))}`);
  for (const finding of state.findings) context.stdout.write(`${finding.status} ${finding.file}: ${finding.action}\n`);
  if (!repair && state.findings.some((finding) => finding.status === 'damaged' && finding.action.startsWith('`twinbox doctor --repair`'))) context.stdout.write('\nrun `twinbox doctor --repair` to repair what needs no answer from you (nothing of yours is deleted: damaged files are kept aside)\n');
  return exit;
}
