import { resolvePaths } from '../core/paths.js';
import type { PolicyFileReport } from '../core/policy/machine-policy.js';
import { policyDirOf } from '../core/policy/policy-dir.js';
import { openSettings } from '../core/settings/open-settings.js';
import { readPackageLayer } from '../core/settings/read-package-layer.js';
import { systemDirOf } from '../core/system/system-dir.js';
import { packageDirOf } from '../core/system/user-view.js';
import { WorkspaceRegistry } from '../core/workspace/registry.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { settingsTable } from './settings-table.js';
import { parseCommandArgs } from './usage-error.js';

function fileLine(report: PolicyFileReport): string {
  return `  ${report.status.padEnd(9)}  ${report.file}${report.problem ? `: ${report.problem}` : ''}`;
}

/** Shows every effective setting with its source; a broken policy is shown here, never refused. */
export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: { json: { type: 'boolean' }, workspace: { type: 'string', short: 'w' } },
  });
  const paths = resolvePaths(context.env);
  let { settings } = openSettings(paths, context.env);
  if (values.workspace !== undefined) {
    const storeDir = packageDirOf(new WorkspaceRegistry(paths.dataDir), systemDirOf(context.env), values.workspace);
    settings = settings.forPackage(await readPackageLayer(values.workspace, storeDir));
  }
  const dir = policyDirOf(context.env);
  const effective = settings.effective();
  const files = settings.policy?.files ?? [];
  const problems = settings.problems();

  if (values.json) {
    context.stdout.write(json({ policyDir: dir, workspace: values.workspace ?? null, settings: effective, files, problems }));
    return 0;
  }
  const lines = [`Machine policy: ${dir} (policy.json, then policy.d/*.json in name order)`];
  if (values.workspace !== undefined) lines.push(`Workspace: ${values.workspace}`);
  lines.push('', settingsTable(effective).trimEnd(), '', 'Policy files:');
  lines.push(...(files.length > 0 ? files.map(fileLine) : ['  (none)']));
  if (problems.length > 0) {
    lines.push('', 'Problems:', ...problems.map((problem) => `  ${problem.severity.padEnd(7)}  ${problem.file}: ${problem.message}`));
  }
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
