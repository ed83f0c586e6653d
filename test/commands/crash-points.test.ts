import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { CRASH_POINTS, type CrashPoint } from '../../src/core/workspace/crash-points.js';
import type { WorkspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';
import { TWINBOX_BIN, twinbox } from '../helpers/cli.js';
import { packFakeWorkspace } from '../helpers/workspace-package.js';

/** Runs twinbox set to die (SIGKILL) at `point`; resolves with the signal that ended it. */
function crashAt(point: CrashPoint, args: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TWINBOX_BIN, ...args], { env: { ...env, TWINBOX_TEST: '1', TWINBOX_TEST_CRASH_AT: point }, timeout: 60_000 }, (error) => {
      resolve(error?.signal ?? null);
    });
  });
}

async function statuses(t: ExecutionContext, h: TestHome): Promise<WorkspaceStatus[]> {
  const status = await twinbox(['status', '--json'], h.env);
  t.is(status.exitCode, 0, status.stderr);
  return JSON.parse(status.stdout) as WorkspaceStatus[];
}

/**
 * The registry matches the disk: the workspace is listed exactly when its package is in the
 * store, or, mid-uninstall, listed with the way to finish the uninstall.
 */
async function registryMatchesDisk(t: ExecutionContext, h: TestHome, point: string): Promise<boolean> {
  const office = (await statuses(t, h)).find((status) => status.name === 'office');
  const stored = existsSync(join(h.home, 'data', 'store', 'office'));
  if (office && /^an uninstall begun .* was interrupted: `twinbox uninstall office` finishes it$/.test(office.reason)) return true;
  return (office !== undefined) === stored || t.fail(`${point}: listed ${office !== undefined}, in the store ${stored} (${office?.reason})`);
}

const installPoints = CRASH_POINTS.filter((point) => point.startsWith('registry:'));
const uninstallPoints = CRASH_POINTS.filter((point) => point.startsWith('uninstall:'));

test(`install killed at each of its crash points (${installPoints.length}) leaves a workspace the next run finds whole`, async (t) => {
  for (const point of installPoints) {
    const h = testHome(t);
    const pkg = await packFakeWorkspace(t, h.home, 'office');
    t.is(await crashAt(point, ['install', pkg], h.env), 'SIGKILL', point);
    await registryMatchesDisk(t, h, point);
    // The registry is a cache: deleted now, it is rebuilt with this workspace in it.
    rmSync(join(h.home, 'data', 'registry.json'));
    t.like((await statuses(t, h)).find((status) => status.name === 'office'), { version: '1.0.0', setup: { state: 'pending' } }, point);
    const setup = await twinbox(['setup', 'office', '--mode', 'silent'], h.env);
    t.is(setup.exitCode, 0, `${point}: ${setup.stderr}`);
    t.is((await twinbox(['uninstall', 'office'], h.env)).exitCode, 0, point);
    t.deepEqual(await h.leftoverProcesses(), [], point);
  }
});

test(`uninstall killed at each of its crash points (${uninstallPoints.length}) is finished by running it again, leaving nothing`, async (t) => {
  for (const point of uninstallPoints) {
    const h = testHome(t);
    await h.install({ name: 'office' });
    const setup = await twinbox(['setup', 'office', '--mode', 'silent'], h.env);
    t.is(setup.exitCode, 0, setup.stderr);
    t.is(await crashAt(point, ['uninstall', 'office'], h.env), 'SIGKILL', point);
    await registryMatchesDisk(t, h, point);
    const start = await twinbox(['start', 'office'], h.env);
    if (point === 'uninstall:marked' || point === 'uninstall:vm-removed' || point === 'uninstall:store-removed') {
      t.is(start.exitCode, 2, point);
      t.regex(start.stderr, /an uninstall of workspace "office" was interrupted\nhint: run `twinbox uninstall office` to finish it/, point);
    }
    const again = await twinbox(['uninstall', 'office'], h.env);
    const gone = (await statuses(t, h)).every((status) => status.name !== 'office');
    t.true(gone, point);
    t.true(again.exitCode === 0 || /no workspace named "office" is installed/.test(again.stderr), `${point}: ${again.stderr}`);
    t.false(existsSync(join(h.home, 'data', 'store', 'office')), point);
    t.deepEqual(await h.leftoverProcesses(), [], `${point}: no VM process is left`);
    // Whatever the point, the name can be installed again.
    const pkg = await packFakeWorkspace(t, h.home, 'office', '2.0.0');
    const install = await twinbox(['install', pkg], h.env);
    t.is(install.exitCode, 0, `${point}: ${install.stderr}`);
  }
});
