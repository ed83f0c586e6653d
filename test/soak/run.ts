/**
 * `npm run soak`: the long soak (5 minutes, 10 processes, 5 workspaces unless told:
 * `--minutes=N --workers=N --workspaces=N --seed=N`), printing its figures; exit 1 when a check fails.
 */
import { soak } from './soak.js';
import { soakProblems } from './verdict.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((value) => value.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const report = await soak({
  durationMs: arg('minutes', 5) * 60_000,
  workers: arg('workers', 10),
  workspaces: arg('workspaces', 5),
  seed: arg('seed', 20261206),
  log: (line) => process.stderr.write(`soak: ${line}\n`),
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
const problems = soakProblems(report);
for (const problem of problems) process.stdout.write(`FAIL  ${problem}\n`);
if (problems.length === 0) process.stdout.write(`PASS  ${report.operations} operations, ${report.busy} busy refusals, every check held\n`);
process.exitCode = problems.length === 0 ? 0 : 1;
