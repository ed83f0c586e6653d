/**
 * `npm run bench`: every benchmark of the project in one report. Each prints a ratio measured
 * side by side in this run, with its target. `--json` prints the array of results;
 * `--only=TEXT` runs the suites whose label contains TEXT (`--only=cold`, `--only=QEMU`).
 */
import { coldStart } from './cold-start.js';
import { installedPackage } from './installed-package.js';
import { peers } from './peers.js';
import { openScale } from './open-scale.js';
import { qemuStart } from './qemu-start.js';
import { menuBench } from './ui-menu.js';
import { qemuMemory, qemuSetupScale } from './qemu-workspace.js';
import { setupScale, statusScale } from './workspace-scale.js';
import { dashboardBench } from './ui-dashboard.js';
import { fleetDashboardBench } from './ui-fleet.js';
import type { BenchResult } from './measure.js';

const json = process.argv.includes('--json');
const roundsArg = process.argv.find((arg) => arg.startsWith('--rounds='));
const rounds = roundsArg ? Number(roundsArg.slice('--rounds='.length)) : 15;

const suites: Array<[string, () => BenchResult[] | Promise<BenchResult[]>]> = [
  ['cold start', () => coldStart(rounds)],
  ['installed package', () => installedPackage(rounds)],
  ['status with 100 workspaces', () => statusScale(Math.max(3, Math.round(rounds / 2)))],
  ['setup of a large image', () => setupScale(Math.max(3, Math.round(rounds / 3)))],
  ['open with 50 workspaces', () => openScale(Math.max(3, Math.round(rounds / 2)))],
  ['QEMU start to agent ready', () => qemuStart(Math.max(3, Math.round(rounds / 3)))],
  ['app menu over SSH', () => menuBench(rounds)],
  ['dashboard first frame and idle CPU', () => dashboardBench(rounds)],
  ['fleet dashboard first frame with 3 and 10 hosts', () => fleetDashboardBench(rounds)],
  ['QEMU setup of a large image', () => qemuSetupScale(Math.max(3, Math.round(rounds / 5)))],
  ['memory while a QEMU workspace runs', () => qemuMemory()],
  ['peers: libvirt and Vagrant', () => peers(rounds)],
];

const onlyArg = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const chosen = onlyArg === undefined ? suites : suites.filter(([label]) => label.toLowerCase().includes(onlyArg.toLowerCase()));
if (chosen.length === 0) {
  process.stderr.write(`bench: no suite matches --only=${onlyArg}; the suites: ${suites.map(([label]) => label).join(', ')}\n`);
  process.exit(2);
}

const results: BenchResult[] = [];
for (const [label, suite] of chosen) {
  if (!json) process.stderr.write(`running ${label}…\n`);
  results.push(...(await suite()));
}

if (json) {
  process.stdout.write(`${JSON.stringify(results.map(({ name, value, unit, target, pass, detail, informative }) => (informative ? { name, value, unit, detail, peer: true } : { name, value, unit, target, pass, detail })), null, 2)}\n`);
} else {
  for (const result of results) {
    if (result.informative) process.stdout.write(`PEER  ${result.name}: ${result.value}${result.unit} (${result.detail ?? ''})\n`);
    else process.stdout.write(`${result.pass ? 'PASS' : 'FAIL'}  ${result.name}: ${result.value}${result.unit} (target ≤ ${result.target}${result.unit}; ${result.detail ?? ''})\n`);
  }
}
process.exitCode = results.every((result) => result.pass) ? 0 : 1;
