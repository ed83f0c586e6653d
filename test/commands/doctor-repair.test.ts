import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { StateFinding } from '../../src/core/doctor/state-repair.js';
import { resolvePaths } from '../../src/core/paths.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';
import { pausedSetup } from '../core/setup/helpers/paused-setup.js';
import { twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { packFakeWorkspace } from '../helpers/workspace-package.js';

interface DoctorJson {
  ok: boolean;
  state: { repair: boolean; whole: boolean; findings: StateFinding[] };
}

async function doctor(t: ExecutionContext, h: TestHome, repair: boolean, env: NodeJS.ProcessEnv = {}): Promise<{ exitCode: number; report: DoctorJson; stderr: string }> {
  const result = await twinbox(['doctor', '--json', ...(repair ? ['--repair'] : [])], { ...h.env, ...env });
  let report: DoctorJson;
  try {
    report = JSON.parse(result.stdout) as DoctorJson;
  } catch {
    t.fail(`doctor printed no JSON (exit ${result.exitCode}): ${result.stdout}${result.stderr}`);
    throw new Error('no JSON');
  }
  return { exitCode: result.exitCode, report, stderr: result.stderr };
}

/** A pid no process has: one that just ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

function old(path: string): void {
  const then = new Date(Date.now() - 3_600_000);
  utimesSync(path, then, then);
}

async function setUp(t: ExecutionContext): Promise<TestHome> {
  const h = testHome(t);
  await h.install({ name: 'office' });
  const setup = await twinbox(['setup', 'office', '--mode', 'silent'], h.env);
  t.is(setup.exitCode, 0, setup.stderr);
  return h;
}

function finding(report: DoctorJson, kind: string): StateFinding | undefined {
  return report.state.findings.find((entry) => entry.kind === kind);
}

/** The damaged file was kept aside byte for byte, never deleted. */
function keptAside(t: ExecutionContext, found: StateFinding | undefined, bytes: string, what: string): void {
  t.is(found?.status, 'repaired', `${what}: ${JSON.stringify(found)}`);
  t.truthy(found?.backupPath, what);
  if (found?.backupPath) {
    t.regex(found.backupPath, /\.corrupt-\d{4}-\d\d-\d\dT/, what);
    t.is(readFileSync(found.backupPath, 'utf8'), bytes, `${what}: the backup holds what was there`);
  }
}

test('a whole home: doctor finds nothing, --repair changes nothing and exits 0', async (t) => {
  const h = await setUp(t);
  const before = readdirSync(h.workspaceDir('office')).sort();
  const plain = await doctor(t, h, false);
  t.deepEqual(plain.report.state.findings, []);
  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 0, repaired.stderr);
  t.deepEqual(repaired.report.state, { repair: true, whole: true, findings: [] });
  t.deepEqual(readdirSync(h.workspaceDir('office')).sort(), before);
});

test('each damaged state file is listed by doctor, left as it is, and kept aside by --repair with its recovery applied', async (t) => {
  const h = await setUp(t);
  const data = join(h.home, 'data');
  const ws = h.workspaceDir('office');
  const damaged: Record<string, { file: string; bytes: string }> = {
    'app-usage': { file: join(data, 'app-usage.json'), bytes: '{"version": 1, "apps": {"office/greet": {"cou' },
    'policy-cache': { file: join(data, 'policy-last-good.json'), bytes: '' },
    journal: { file: join(ws, 'setup-journal.json'), bytes: '{"format": 2}' },
    health: { file: join(ws, 'agent-health.json'), bytes: '[1, 2' },
    'setup-status': { file: join(ws, 'setup-status.json'), bytes: 'null' },
    'entry-copy': { file: join(ws, 'registry-entry.json'), bytes: '{"name": "office"' },
  };
  for (const { file, bytes } of Object.values(damaged)) writeFileSync(file, bytes);

  const plain = await doctor(t, h, false);
  t.is(plain.exitCode, 1, 'damage found: exit 1');
  for (const [kind, { file, bytes }] of Object.entries(damaged)) {
    t.like(finding(plain.report, kind), { status: 'damaged', file }, kind);
    t.regex(finding(plain.report, kind)?.action ?? '', /^`twinbox doctor --repair`/, kind);
    t.is(readFileSync(file, 'utf8'), bytes, `${kind}: doctor without --repair changes nothing`);
  }

  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 0, JSON.stringify(repaired.report.state.findings));
  t.true(repaired.report.state.whole);
  for (const [kind, { bytes }] of Object.entries(damaged)) keptAside(t, finding(repaired.report, kind), bytes, kind);
  // Recoveries: the entry's copy is written again from the registry; the others are gone until
  // their writer writes them, and their readers treat that as "nothing recorded".
  t.like(JSON.parse(readFileSync(damaged['entry-copy']!.file, 'utf8')), { name: 'office', version: '1.0.0', setup: { state: 'ready' } });
  for (const kind of ['app-usage', 'policy-cache', 'journal', 'health', 'setup-status']) t.false(existsSync(damaged[kind]!.file), kind);
  t.deepEqual((await doctor(t, h, false)).report.state.findings, [], 'whole afterwards');
  // What reads them works: launch counts start again, reset rebuilds the journal by setting up again.
  const menu = await twinbox(['menu', '--list', '--json'], h.env);
  t.is(menu.exitCode, 0, menu.stderr);
  const reset = await twinbox(['reset', 'office', '--yes', '--mode', 'silent'], h.env);
  t.is(reset.exitCode, 0, reset.stderr);
  t.true(existsSync(damaged.journal!.file));
});

test('a damaged registry is kept aside and rebuilt from the workspace folders', async (t) => {
  const h = await setUp(t);
  const file = join(h.home, 'data', 'registry.json');
  const bytes = '{"workspaces": {"office": {"name": "off';
  writeFileSync(file, bytes);
  const plain = await doctor(t, h, false);
  t.is(plain.exitCode, 1);
  t.like(finding(plain.report, 'registry'), { status: 'damaged' });
  t.is(readFileSync(file, 'utf8'), bytes, 'doctor without --repair leaves the registry alone');
  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 0, JSON.stringify(repaired.report.state.findings));
  keptAside(t, finding(repaired.report, 'registry'), bytes, 'registry');
  t.regex(finding(repaired.report, 'registry')?.action ?? '', /rebuilt from the workspace folders: office$/);
  const status = await twinbox(['status', 'office', '--json'], h.env);
  t.is(status.exitCode, 0, status.stderr);
  t.like(JSON.parse(status.stdout), { name: 'office', setup: { state: 'ready' } });
});

test('a damaged settings file is kept aside; settings go back to their defaults', async (t) => {
  const h = await setUp(t);
  const file = join(h.home, 'config', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '{"log.level": "debug",');
  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 0, JSON.stringify(repaired.report.state.findings));
  keptAside(t, finding(repaired.report, 'settings'), '{"log.level": "debug",', 'settings');
  const level = await twinbox(['config', 'get', 'log.level', '--json'], h.env);
  t.is(level.exitCode, 0, level.stderr);
  t.like(JSON.parse(level.stdout), { source: 'default' });
});

test('a damaged host-integration record is kept aside, and publish --shims takes back the shims it made', async (t) => {
  const h = await setUp(t);
  const host = tempDir(t, 'tbx-host-');
  const env = { ...h.env, TWINBOX_BIN_DIR: join(host, 'bin'), XDG_DATA_HOME: join(host, 'share') };
  const published = await twinbox(['publish', '--shims', '--json'], env);
  t.is(published.exitCode, 0, published.stderr);
  const shims = readdirSync(join(host, 'bin'));
  t.true(shims.length > 0);
  const file = join(h.home, 'data', 'host-integration.json');
  const bytes = readFileSync(file, 'utf8').slice(0, 40);
  writeFileSync(file, bytes);
  const repaired = await doctor(t, h, true, env);
  t.is(repaired.exitCode, 0, JSON.stringify(repaired.report.state.findings));
  keptAside(t, finding(repaired.report, 'host-integration'), bytes, 'host-integration');
  const again = await twinbox(['publish', '--shims', '--json'], env);
  t.is(again.exitCode, 0, again.stderr);
  t.like(JSON.parse(again.stdout), { skipped: [] }, 'the unchanged shims are taken back, not refused as in the way');
  const removed = await twinbox(['publish', '--shims', '--remove'], env);
  t.is(removed.exitCode, 0, removed.stderr);
  t.deepEqual(readdirSync(join(host, 'bin')), [], 'the record knows them all again');
});

test('a damaged app catalog is reported, not touched: --repair exits 1 naming the refresh', async (t) => {
  const h = await setUp(t);
  const file = join(h.workspaceDir('office'), 'apps.json');
  writeFileSync(file, '{"apps": "none"}');
  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 1);
  t.like(finding(repaired.report, 'catalog'), { status: 'damaged', workspace: 'office', action: 'run `twinbox apps office --refresh`: it asks the guest again (doctor starts no VM)' });
  t.is(readFileSync(file, 'utf8'), '{"apps": "none"}');
  const plain = await twinbox(['doctor'], h.env);
  t.regex(plain.stdout, /damaged .*apps\.json: run `twinbox apps office --refresh`/);
  t.notRegex(plain.stdout, /run `twinbox doctor --repair`/, 'no promise of a repair that --repair does not do');
});

test('temporary files of dead writers and staging folders of killed installs are swept; a live writer\'s are not', async (t) => {
  const h = await setUp(t);
  const data = join(h.home, 'data');
  const dead = deadPid();
  const deadTemp = join(data, `.registry.json.${dead}.0123abcd.tmp`);
  const deadWsTemp = join(h.workspaceDir('office'), `.setup-journal.json.${dead}.89abcdef.tmp`);
  const liveTemp = join(data, `.app-usage.json.${process.pid}.0badf00d.tmp`);
  const staging = join(data, 'store', `.staging-${dead}-1a2b3c`);
  for (const file of [deadTemp, deadWsTemp, liveTemp]) {
    writeFileSync(file, 'half a file');
    old(file);
  }
  mkdirSync(join(staging, 'payload'), { recursive: true });
  writeFileSync(join(staging, 'payload', 'disk.img'), 'unpacked');

  const plain = await doctor(t, h, false);
  t.is(plain.exitCode, 1);
  t.deepEqual(plain.report.state.findings.map((entry) => [entry.kind, entry.file, entry.status]).sort(), [
    ['staging', staging, 'damaged'],
    ['temporary', deadTemp, 'damaged'],
    ['temporary', deadWsTemp, 'damaged'],
  ].sort());
  t.true(existsSync(deadTemp) && existsSync(staging));

  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 0);
  t.is(repaired.report.state.findings.filter((entry) => entry.status === 'repaired').length, 3);
  t.false(existsSync(deadTemp));
  t.false(existsSync(deadWsTemp));
  t.false(existsSync(staging));
  t.true(existsSync(liveTemp), 'a live process may still rename its temporary file');
});

test('the runtime folder of a state folder that is gone is swept by --repair and reported', async (t) => {
  const h = await setUp(t);
  const gone = join(tempDir(t, 'tbx-gone-'), 'home-removed');
  // A runtime base of this test's own: every twinbox process sweeps its siblings, those of other tests too.
  const env = { XDG_RUNTIME_DIR: tempDir(t, 'tbx-run-') };
  const sibling = join(dirname(resolvePaths({ ...h.env, ...env }).runtimeDir), 'f00dcafe');
  mkdirSync(join(sibling, 'fake'), { recursive: true });
  writeFileSync(join(sibling, '.home'), `${gone}\n`);
  old(sibling);
  const repaired = await doctor(t, h, true, env);
  t.is(repaired.exitCode, 0);
  t.like(repaired.report.state.findings.find((entry) => entry.file === sibling), { kind: 'runtime', status: 'repaired' });
  t.false(existsSync(sibling));
});

test('a setup that was killed is left resumable: --repair keeps its journal, and setup resumes after the steps it finished', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  const paused = await pausedSetup(h.env, h.workspaceDir('office'), 'boot', ['setup', 'office', '--mode', 'silent']);
  await paused.kill();
  const journal = join(h.workspaceDir('office'), 'setup-journal.json');
  const bytes = readFileSync(journal, 'utf8');
  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 0, JSON.stringify(repaired.report.state.findings));
  t.like(finding(repaired.report, 'interrupted-setup'), { status: 'resumable', workspace: 'office', file: journal, problem: 'first-time setup was interrupted at step boot' });
  t.is(readFileSync(journal, 'utf8'), bytes, 'the journal is left as it was');
  const setup = await twinbox(['setup', 'office', '--mode', 'unattended', '--json'], h.env);
  t.is(setup.exitCode, 0, setup.stderr);
  const result = setup.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; resumedAfter?: string[] }).find((event) => event.type === 'result');
  t.deepEqual(result?.resumedAfter, ['hypervisor', 'vm']);
});

test('--repair needs the workspace\'s lock: held by a live process, it exits 75 and touches nothing; once free, it repairs', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  const health = join(h.workspaceDir('office'), 'agent-health.json');
  const paused = await pausedSetup(h.env, h.workspaceDir('office'), 'boot', ['setup', 'office', '--mode', 'silent']);
  t.teardown(() => paused.kill());
  writeFileSync(health, '{"checkedAt": ');
  const busy = await doctor(t, h, true);
  t.is(busy.exitCode, 75);
  t.like(finding(busy.report, 'health'), { status: 'busy' });
  t.regex(finding(busy.report, 'health')?.action ?? '', /workspace "office" is busy.*run `twinbox doctor --repair` again once it is done/s);
  t.is(readFileSync(health, 'utf8'), '{"checkedAt": ');
  await paused.kill();
  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 0, JSON.stringify(repaired.report.state.findings));
  keptAside(t, finding(repaired.report, 'health'), '{"checkedAt": ', 'health');
});

test('a package an install --overwrite killed mid-replace left in the store\'s trash is put back by --repair', async (t) => {
  const h = testHome(t);
  const pkg = await packFakeWorkspace(t, h.home, 'office');
  t.is((await twinbox(['install', pkg], h.env)).exitCode, 0);
  t.is((await twinbox(['setup', 'office', '--mode', 'silent'], h.env)).exitCode, 0);
  const killed = await twinbox(['install', pkg, '--overwrite'], { ...h.env, TWINBOX_TEST_CRASH_AT: 'overwrite:moved-aside' });
  t.not(killed.exitCode, 0);
  const storeDir = join(h.home, 'data', 'store', 'office', '1.0.0');
  t.false(existsSync(storeDir), 'killed after the installed folder went aside');
  const plain = await doctor(t, h, false);
  t.is(plain.exitCode, 1);
  t.like(finding(plain.report, 'package'), { status: 'damaged', workspace: 'office', file: storeDir, problem: 'the package of office 1.0.0 is missing from the store' });
  t.regex(finding(plain.report, 'package')?.action ?? '', /^`twinbox doctor --repair` puts it back from .*\/store\/\.trash-\d+-[0-9a-f]+, where a killed `install --overwrite` left it$/);
  t.deepEqual(plain.report.state.findings.filter((entry) => entry.kind === 'staging').map((entry) => basename(entry.file).replace(/-\d+-[0-9a-f]+$/, '')), ['.staging'], 'the killed install\'s staging folder is offered for removal, not the trash folder the repair needs');
  const repaired = await doctor(t, h, true);
  t.is(repaired.exitCode, 0, JSON.stringify(repaired.report.state.findings));
  t.like(finding(repaired.report, 'package'), { status: 'repaired' });
  t.true(existsSync(join(storeDir, 'workspace.json')));
  t.deepEqual(readdirSync(join(h.home, 'data', 'store')), ['office'], 'nothing is left in the trash');
  // The overwrite had removed the VM already: reset sets it up again from the package put back.
  const reset = await twinbox(['reset', 'office', '--yes', '--mode', 'silent'], h.env);
  t.is(reset.exitCode, 0, reset.stderr);
  const ran = await twinbox(['run', 'office', 'greet', '--', 'back'], h.env);
  t.regex(ran.stdout, /hello back/, ran.stderr);
  t.is((await twinbox(['uninstall', 'office'], h.env)).exitCode, 0);
});
