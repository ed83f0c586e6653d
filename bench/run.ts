/**
 * `npm run bench`: every benchmark of the project in one report. Each prints a ratio measured
 * side by side in this run, with its target. `--json` prints the array of results;
 * `--only=TEXT` runs the suites whose label contains TEXT (`--only=cold`, `--only=QEMU`);
 * `--save` merges the figures into bench/figures.json, from which `npm run docs` writes the
 * README's table (see figures.ts).
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
import { launchLatency } from './launch-latency.js';
import { fleetDashboardBench } from './ui-fleet.js';
import type { BenchResult } from './measure.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { currentLoad, mergeFigures, readFigures, writeFigures } from './figures.js';

const json = process.argv.includes('--json');

/** What twinbox's QEMU plugin says of KVM here (`plugins --json`); undefined without QEMU. */
function qemuUsesKvm(): boolean | undefined {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url)), 'plugins', '--json'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  const qemu = (JSON.parse(result.stdout) as Array<{ name: string; status?: string; details?: { accel?: string } }>).find((plugin) => plugin.name === 'qemu');
  if (qemu?.status !== 'loaded' || !qemu.details?.accel) return undefined;
  return qemu.details.accel.startsWith('kvm');
}

/**
 * Node reads these at every start, before a line of ours runs: on a machine whose environment
 * sets them (a CA bundle in NODE_EXTRA_CA_CERTS costs ~60 ms of each start here, more than a
 * whole `node -e 0` without it), every figure of the form "twinbox ÷ node -e 0" would shrink
 * towards 1 only because both sides grew. The commands measured run without them.
 */
const STARTUP_ENV = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'];
for (const name of STARTUP_ENV) {
  if (process.env[name] === undefined) continue;
  if (!json) process.stderr.write(`bench: measuring without ${name} (it slows every Node start alike)\n`);
  delete process.env[name];
}
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
  ['launch latency on QEMU', () => launchLatency(Math.max(5, Math.round(rounds / 2)))],
  ['peers: libvirt and Vagrant', () => peers(rounds)],
];

const onlyArg = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const chosen = onlyArg === undefined ? suites : suites.filter(([label]) => label.toLowerCase().includes(onlyArg.toLowerCase()));
if (chosen.length === 0) {
  process.stderr.write(`bench: no suite matches --only=${onlyArg}; the suites: ${suites.map(([label]) => label).join(', ')}\n`);
  process.exit(2);
}

const results: BenchResult[] = [];
const measured: Array<{ suite: string; load: number; result: BenchResult }> = [];
/** Suites that threw: each is named in the report and fails the run, and the others' figures still count (and are saved). */
const failed: Array<{ suite: string; error: string }> = [];
for (const [label, suite] of chosen) {
  if (!json) process.stderr.write(`running ${label}…\n`);
  const load = currentLoad();
  let found: BenchResult[];
  try {
    found = await suite();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failed.push({ suite: label, error: message });
    if (!json) process.stderr.write(`bench: the suite "${label}" failed: ${message}\n`);
    continue;
  }
  results.push(...found);
  measured.push(...found.map((result) => ({ suite: label, load, result })));
}

if (process.argv.includes('--save')) {
  // build/bench/run.js → the source tree's bench/figures.json.
  const file = fileURLToPath(new URL('../../bench/figures.json', import.meta.url));
  writeFigures(file, mergeFigures(readFigures(file), measured, new Date(), qemuUsesKvm()));
  process.stderr.write(`bench: ${measured.length} figures saved in bench/figures.json; \`npm run docs\` writes them into the README\n`);
}

if (json) {
  process.stdout.write(`${JSON.stringify(results.map(({ name, value, unit, target, pass, detail, informative }) => (informative ? { name, value, unit, detail, peer: true } : { name, value, unit, target, pass, detail })), null, 2)}\n`);
} else {
  for (const result of results) {
    if (result.informative) process.stdout.write(`PEER  ${result.name}: ${result.value}${result.unit} (${result.detail ?? ''})\n`);
    else process.stdout.write(`${result.pass ? 'PASS' : 'FAIL'}  ${result.name}: ${result.value}${result.unit} (target ≤ ${result.target}${result.unit}; ${result.detail ?? ''})\n`);
  }
  for (const { suite, error } of failed) process.stdout.write(`FAIL  the suite "${suite}" did not finish: ${error}\n`);
}
process.exitCode = failed.length === 0 && results.every((result) => result.pass) ? 0 : 1;
