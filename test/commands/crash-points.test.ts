import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { CRASH_POINTS, type CrashPoint } from '../../src/core/workspace/crash-points.js';
import type { WorkspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';
import { TWINBOX_BIN, twinbox, type CliResult } from '../helpers/cli.js';
import { packFakeWorkspace } from '../helpers/workspace-package.js';

/**
 * Every crash point of src/core/workspace/crash-points.ts, walked on each path that reaches it:
 * twinbox is killed there (SIGKILL, as a power cut), and the next runs must find the state
 * whole: the registry matches the disk, no half-installed package stays, no VM or VM process
 * is left that the registry does not know, the previous version stays intact and runnable
 * when an upgrade dies, and running the command again completes.
 */

/** Runs twinbox set to die (SIGKILL) at `point`; resolves with the signal that ended it. */
function crashAt(point: CrashPoint, args: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TWINBOX_BIN, ...args], { env: { ...env, TWINBOX_TEST: '1', TWINBOX_TEST_CRASH_AT: point }, timeout: 60_000 }, (error) => {
      resolve(error?.signal ?? null);
    });
  });
}

async function killedAt(t: ExecutionContext, point: CrashPoint, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  t.is(await crashAt(point, args, env), 'SIGKILL', `${point} is reached by \`twinbox ${args.join(' ')}\``);
}

async function ok(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv, point: string): Promise<CliResult> {
  const result = await twinbox(args, env);
  t.is(result.exitCode, 0, `${point}: twinbox ${args.join(' ')}: ${result.stderr}${result.stdout}`);
  return result;
}

async function statuses(t: ExecutionContext, h: TestHome): Promise<WorkspaceStatus[]> {
  const status = await twinbox(['status', '--json'], h.env);
  t.is(status.exitCode, 0, status.stderr);
  return JSON.parse(status.stdout) as WorkspaceStatus[];
}

const INTERRUPTED_UNINSTALL = /^an uninstall begun .* was interrupted: `twinbox uninstall office` finishes it$/;

/**
 * The registry matches the disk: the workspace is listed exactly when its package is in the
 * store, or, mid-uninstall, listed with the way to finish the uninstall.
 */
async function registryMatchesDisk(t: ExecutionContext, h: TestHome, point: string): Promise<void> {
  const office = (await statuses(t, h)).find((status) => status.name === 'office');
  const stored = existsSync(join(h.home, 'data', 'store', 'office'));
  if (office && INTERRUPTED_UNINSTALL.test(office.reason)) return;
  t.is(office !== undefined, stored, `${point}: listed ${office !== undefined}, in the store ${stored} (${office?.reason})`);
}

/**
 * Once the command ran again: the entry's package is whole in the store and nothing else is
 * (no staging or trash folder, no other version), and the only VM is the one the entry names.
 */
async function settled(t: ExecutionContext, h: TestHome, point: string, version: string): Promise<void> {
  const entry = h.registry().find('office');
  t.truthy(entry, point);
  if (!entry) return;
  t.is(entry.version, version, point);
  t.is(entry.replacing, undefined, `${point}: the upgrade is finished`);
  t.true(existsSync(join(entry.storeDir, 'workspace.json')), `${point}: ${entry.storeDir} is whole`);
  t.deepEqual(readdirSync(join(h.home, 'data', 'store')), ['office'], `${point}: no staging or trash folder is left in the store`);
  t.deepEqual(readdirSync(join(h.home, 'data', 'store', 'office')), [version], `${point}: only the installed version is in the store`);
  const vms = Object.keys(await h.fake().listVms());
  t.deepEqual(vms, entry.vm ? [entry.vm.id] : [], `${point}: the only VM is the registry's`);
}

/** The workspace runs its app, then is uninstalled leaving no VM process. */
async function runsThenGoes(t: ExecutionContext, h: TestHome, point: string): Promise<void> {
  const ran = await ok(t, ['run', 'office', 'greet', '--', 'again'], h.env, point);
  t.regex(ran.stdout, /hello again/, point);
  await ok(t, ['uninstall', 'office'], h.env, point);
  t.deepEqual(await h.leftoverProcesses(), [], `${point}: no VM process is left`);
}

async function installed(t: ExecutionContext, h: TestHome, version = '1.0.0', setUp = true): Promise<string> {
  const pkg = await packFakeWorkspace(t, h.home, 'office', version);
  await ok(t, ['install', pkg], h.env, 'before');
  if (setUp) await ok(t, ['setup', 'office', '--mode', 'silent'], h.env, 'before');
  return pkg;
}

type Walk = (t: ExecutionContext, point: CrashPoint) => Promise<void>;

/** The paths that change state, each walked at the points of the path names (the part of a point before its colon). */
const WALKS: Record<string, { paths: string[]; walk: Walk }> = {
  'a fresh install': {
    paths: ['registry', 'install'],
    async walk(t, point) {
      const h = testHome(t);
      const pkg = await packFakeWorkspace(t, h.home, 'office');
      await killedAt(t, point, ['install', pkg], h.env);
      await registryMatchesDisk(t, h, point);
      const again = await twinbox(['install', pkg], h.env);
      t.true(again.exitCode === 0 || /office 1\.0\.0 is already installed/.test(again.stderr), `${point}: ${again.stderr}`);
      // The registry is a cache: deleted now, it is rebuilt with this workspace in it.
      rmSync(join(h.home, 'data', 'registry.json'));
      t.like((await statuses(t, h)).find((status) => status.name === 'office'), { version: '1.0.0', setup: { state: 'pending' } }, point);
      await ok(t, ['setup', 'office', '--mode', 'silent'], h.env, point);
      await settled(t, h, point, '1.0.0');
      await runsThenGoes(t, h, point);
    },
  },
  'an install --overwrite': {
    paths: ['registry', 'install', 'overwrite'],
    async walk(t, point) {
      const h = testHome(t);
      const pkg = await installed(t, h);
      await killedAt(t, point, ['install', pkg, '--overwrite'], h.env);
      await registryMatchesDisk(t, h, point);
      await ok(t, ['install', pkg, '--overwrite'], h.env, point);
      await ok(t, ['setup', 'office', '--mode', 'silent'], h.env, point);
      await settled(t, h, point, '1.0.0');
      await runsThenGoes(t, h, point);
    },
  },
  'a first-time setup': {
    paths: ['registry', 'setup'],
    async walk(t, point) {
      const h = testHome(t);
      await installed(t, h, '1.0.0', false);
      await killedAt(t, point, ['setup', 'office', '--mode', 'silent'], h.env);
      await registryMatchesDisk(t, h, point);
      // The journal of the killed setup is resumed: the run completes.
      await ok(t, ['setup', 'office', '--mode', 'silent'], h.env, point);
      await settled(t, h, point, '1.0.0');
      await runsThenGoes(t, h, point);
    },
  },
  'an upgrade (install of 2.0.0, then its setup)': {
    paths: ['registry', 'install', 'setup', 'upgrade'],
    async walk(t, point) {
      const h = testHome(t);
      await installed(t, h);
      const oldStore = h.registry().get('office').storeDir;
      const oldVm = h.registry().get('office').vm!.id;
      const pkg2 = await packFakeWorkspace(t, h.home, 'office', '2.0.0');
      const duringInstall = point.startsWith('registry:') || point.startsWith('install:');
      if (duringInstall) {
        await killedAt(t, point, ['install', pkg2], h.env);
      } else {
        await ok(t, ['install', pkg2], h.env, point);
        await killedAt(t, point, ['setup', 'office', '--mode', 'silent'], h.env);
      }
      await registryMatchesDisk(t, h, point);
      const entry = h.registry().get('office');
      if (entry.setup.state !== 'ready') {
        // The upgrade did not finish: the version in use is whole, its VM still there.
        t.true(existsSync(join(oldStore, 'workspace.json')), `${point}: 1.0.0 is still in the store`);
        if (point !== 'upgrade:old-vm-removed') t.true(oldVm in (await h.fake().listVms()), `${point}: the VM of 1.0.0 is still there`);
      }
      // Runnable as it is (a pending upgrade sets up first), then the command again completes.
      const ran = await ok(t, ['run', 'office', 'greet', '--', 'now'], h.env, point);
      t.regex(ran.stdout, /hello now/, point);
      if (duringInstall) {
        const again = await twinbox(['install', pkg2], h.env);
        t.true(again.exitCode === 0 || /office 2\.0\.0 is already installed/.test(again.stderr), `${point}: ${again.stderr}`);
      }
      await ok(t, ['setup', 'office', '--mode', 'silent'], h.env, point);
      await settled(t, h, point, '2.0.0');
      await runsThenGoes(t, h, point);
    },
  },
  'an uninstall': {
    paths: ['uninstall'],
    async walk(t, point) {
      const h = testHome(t);
      await h.install({ name: 'office' });
      await ok(t, ['setup', 'office', '--mode', 'silent'], h.env, point);
      await killedAt(t, point, ['uninstall', 'office'], h.env);
      await registryMatchesDisk(t, h, point);
      const start = await twinbox(['start', 'office'], h.env);
      if (point === 'uninstall:marked' || point === 'uninstall:vm-removed' || point === 'uninstall:store-removed') {
        t.is(start.exitCode, 2, point);
        t.regex(start.stderr, /an uninstall of workspace "office" was interrupted\nhint: run `twinbox uninstall office` to finish it/, point);
      }
      const again = await twinbox(['uninstall', 'office'], h.env);
      t.true((await statuses(t, h)).every((status) => status.name !== 'office'), point);
      t.true(again.exitCode === 0 || /no workspace named "office" is installed/.test(again.stderr), `${point}: ${again.stderr}`);
      t.false(existsSync(join(h.home, 'data', 'store', 'office')), point);
      t.deepEqual(Object.keys(await h.fake().listVms()), [], `${point}: no VM is left`);
      t.deepEqual(await h.leftoverProcesses(), [], `${point}: no VM process is left`);
      // Whatever the point, the name can be installed again.
      const pkg = await packFakeWorkspace(t, h.home, 'office', '2.0.0');
      await ok(t, ['install', pkg], h.env, point);
    },
  },
  'a reset': {
    paths: ['reset'],
    async walk(t, point) {
      const h = testHome(t);
      await installed(t, h);
      await killedAt(t, point, ['reset', 'office', '--yes', '--mode', 'silent'], h.env);
      await registryMatchesDisk(t, h, point);
      await ok(t, ['reset', 'office', '--yes', '--mode', 'silent'], h.env, point);
      t.is(h.registry().get('office').setup.state, 'ready', point);
      await settled(t, h, point, '1.0.0');
      await runsThenGoes(t, h, point);
    },
  },
  'snapshot take, restore and delete': {
    paths: ['snapshot'],
    async walk(t, point) {
      const h = testHome(t);
      await installed(t, h);
      await ok(t, ['start', 'office'], h.env, point);
      const names = async () => {
        const list = await ok(t, ['snapshot', 'list', 'office', '--json'], h.env, point);
        return (JSON.parse(list.stdout) as Array<{ name: string }>).map((s) => s.name);
      };
      const steps: Array<{ args: string[]; points: CrashPoint[] }> = [
        { args: ['snapshot', 'take', 'office', 'before'], points: ['snapshot:taken'] },
        { args: ['snapshot', 'restore', 'office', 'before', '--yes'], points: ['snapshot:restore-stopped', 'snapshot:restored'] },
        { args: ['snapshot', 'delete', 'office', 'before', '--yes'], points: ['snapshot:deleted'] },
      ];
      let walked = false;
      for (const step of steps) {
        if (!step.points.includes(point)) {
          await ok(t, step.args, h.env, point);
          continue;
        }
        walked = true;
        await killedAt(t, point, step.args, h.env);
        await registryMatchesDisk(t, h, point);
        // The hypervisor's snapshot list still reads, and the command again completes (a take
        // that happened is not taken twice; a delete that happened is not an error to fix).
        const before = await names();
        if (step.args[1] === 'take') {
          if (!before.includes('before')) await ok(t, step.args, h.env, point);
        } else if (step.args[1] === 'delete') {
          if (before.includes('before')) await ok(t, step.args, h.env, point);
        } else {
          await ok(t, step.args, h.env, point);
        }
        t.is((await names()).includes('before'), step.args[1] !== 'delete', point);
        break;
      }
      t.true(walked, `${point} belongs to one of the snapshot steps`);
      await ok(t, ['start', 'office'], h.env, point);
      await settled(t, h, point, '1.0.0');
      await runsThenGoes(t, h, point);
    },
  },
  'a policy refresh': {
    paths: ['policy'],
    async walk(t, point) {
      const h = testHome(t);
      const policyDir = join(h.home, 'policy');
      mkdirSync(policyDir);
      const env = { ...h.env, TWINBOX_POLICY_DIR: policyDir };
      const level = async () => {
        const shown = await ok(t, ['config', 'get', 'log.level', '--json'], env, point);
        return JSON.parse(shown.stdout) as { value: unknown; source: string };
      };
      writeFileSync(join(policyDir, 'policy.json'), JSON.stringify({ 'log.level': 'warn' }));
      t.is((await level()).value, 'warn');
      writeFileSync(join(policyDir, 'policy.json'), JSON.stringify({ 'log.level': 'error' }));
      await killedAt(t, point, ['config', 'get', 'log.level', '--json'], env);
      const cache = join(h.home, 'data', 'policy-last-good.json');
      t.notThrows(() => JSON.parse(readFileSync(cache, 'utf8')), `${point}: the last good cache is whole`);
      // Read again, the new file is in force, and its values become the last good ones: a
      // broken edit afterwards keeps them.
      t.like(await level(), { value: 'error', source: `policy:${policyDir}/policy.json` }, point);
      writeFileSync(join(policyDir, 'policy.json'), '{"log.level": "de');
      t.is((await level()).value, 'error', `${point}: the last good value stays in force`);
    },
  },
  'an app catalog refresh and publish --shims': {
    paths: ['publish'],
    async walk(t, point) {
      const h = testHome(t);
      const host = join(h.home, 'host');
      const env = { ...h.env, TWINBOX_BIN_DIR: join(host, 'bin'), XDG_DATA_HOME: join(host, 'share') };
      await installed(t, h);
      if (point === 'publish:catalog-refreshed') {
        // With no catalog, a refresh writes one.
        rmSync(join(h.home, 'data', 'workspaces', 'office', 'apps.json'));
        await killedAt(t, point, ['apps', 'office', '--refresh'], env);
        await ok(t, ['apps', 'office', '--refresh'], env, point);
        const apps = await ok(t, ['apps', 'office', '--json'], env, point);
        t.regex(apps.stdout, /"greet"/, point);
      } else {
        await killedAt(t, point, ['publish', '--shims'], env);
        await ok(t, ['publish', '--shims'], env, point);
        t.true(existsSync(join(host, 'bin', 'greet')) || readdirSync(join(host, 'bin')).some((file) => file.includes('greet')), `${point}: the shim is there`);
        // The record knows every file it made: removing leaves none behind.
        await ok(t, ['publish', '--shims', '--remove'], env, point);
        t.deepEqual(readdirSync(join(host, 'bin')), [], `${point}: no shim is left unrecorded`);
      }
      await settled(t, h, point, '1.0.0');
      await runsThenGoes(t, h, point);
    },
  },
};

/**
 * A few walks at a time: each starts several CLI processes and a fake VM, and all of them at
 * once on two cores would let none finish within AVA's time limit.
 */
const WALKS_AT_ONCE = 4;
let running = 0;
const waiting: Array<() => void> = [];
async function inTurn(body: () => Promise<void>): Promise<void> {
  if (running >= WALKS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    await body();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const prefix = (point: string) => point.slice(0, point.indexOf(':'));
for (const point of CRASH_POINTS) {
  const paths = Object.entries(WALKS).filter(([, { paths }]) => paths.includes(prefix(point)));
  if (paths.length === 0) {
    test(`crash point ${point} is walked`, (t) => t.fail(`no walk in ${import.meta.url} covers the "${prefix(point)}" path: add one`));
  }
  for (const [what, { walk }] of paths) {
    test(`${what} killed at ${point} (${CRASH_POINTS.indexOf(point) + 1} of ${CRASH_POINTS.length}) leaves state the next run finds whole`, (t) => inTurn(() => walk(t, point)));
  }
}

test('crash points have distinct names', (t) => {
  t.is(new Set(CRASH_POINTS).size, CRASH_POINTS.length);
});
