import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { lockHolder } from '../../src/core/workspace/lock.js';
import { openWorkspace } from '../../src/core/workspace/open-workspace.js';
import { withWorkspaceLock } from '../../src/core/workspace/workspace-lock.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { TWINBOX_BIN, twinbox } from '../helpers/cli.js';

async function setUp(t: import('ava').ExecutionContext) {
  const h = testHome(t);
  await h.install({ name: 'office' });
  const setup = await twinbox(['setup', 'office', '--mode', 'silent'], h.env);
  t.is(setup.exitCode, 0, setup.stderr);
  return h;
}

test('a damaged apps.json says so, in apps, run and status, instead of "publishes no apps"; --refresh discovers them again', async (t) => {
  const h = await setUp(t);
  const file = join(h.workspaceDir('office'), 'apps.json');
  writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));

  const apps = await twinbox(['apps', 'office'], h.env);
  t.is(apps.exitCode, 1);
  t.is(apps.stdout, '');
  t.true(apps.stderr.startsWith(`twinbox: the app catalog of workspace "office" (${file}) is damaged: not JSON\n`), apps.stderr);
  t.regex(apps.stderr, /hint: run `twinbox apps office --refresh` with the workspace running/);
  t.false(/publishes no app/.test(apps.stdout + apps.stderr));

  const run = await twinbox(['run', 'office', 'anything'], h.env);
  t.regex(run.stderr, /app catalog of workspace "office" .* is damaged/);

  const status = await twinbox(['status'], h.env);
  t.is(status.exitCode, 0);
  t.regex(status.stdout, /its app catalog is damaged \(not JSON\): `twinbox apps office --refresh`/);

  const refreshed = await twinbox(['apps', 'office', '--refresh'], h.env);
  t.is(refreshed.exitCode, 0, refreshed.stderr);
  t.regex(refreshed.stdout, /^ID\s+NAME/m);
});

test('uninstall refuses clearly when the VM record is damaged, and --force removes the workspace anyway', async (t) => {
  const h = await setUp(t);
  await twinbox(['stop', 'office', '--timeout', '10'], h.env);
  const record = join(h.workspaceDir('office'), 'vm', 'fake-vm.json');
  writeFileSync(record, '{"format": 1, "id": "office", "spec": {');

  const start = await twinbox(['start', 'office'], h.env);
  t.is(start.exitCode, 1);
  t.regex(start.stderr, new RegExp(`^twinbox: the fake VM record ${record} is damaged: not JSON`));
  t.false(/unexpected error/.test(start.stderr));

  const refused = await twinbox(['uninstall', 'office'], h.env);
  t.is(refused.exitCode, 1);
  t.regex(refused.stderr, /^twinbox: the VM of workspace "office" could not be removed: the fake VM record .* is damaged/);
  t.regex(refused.stderr, /hint: run `twinbox uninstall office --force` to remove the workspace anyway/);
  t.true(existsSync(h.workspaceDir('office')), 'nothing was removed');
  t.is(h.registry().get('office').uninstalling, undefined, 'the refused uninstall leaves the entry as it was');

  const forced = await twinbox(['uninstall', 'office', '--force'], h.env);
  t.is(forced.exitCode, 0, forced.stderr);
  t.regex(forced.stdout, /VM "office" \(fake\) could not be removed through its hypervisor \(.*damaged.*\); its files were deleted/);
  t.false(existsSync(h.workspaceDir('office')));
  t.is(h.registry().find('office'), undefined);
});

test('a mutation that opened a workspace just before it was uninstalled stops with exit 2 and does not re-create its folder', async (t) => {
  const h = await setUp(t);
  const core = h.core();
  const ws = openWorkspace(core, 'office');
  const uninstall = await twinbox(['uninstall', 'office'], h.env);
  t.is(uninstall.exitCode, 0, uninstall.stderr);
  t.false(existsSync(h.workspaceDir('office')));
  let ran = false;
  const error = await t.throwsAsync(
    withWorkspaceLock(ws, 'start', async () => {
      ran = true;
    }),
  );
  t.like(error, { code: 'workspace-gone', exitCode: 2 });
  t.false(ran);
  t.false(existsSync(h.workspaceDir('office')), 'the folder uninstall removed stays removed');
});

test('start racing uninstall exits 75 or 2 with a clear message, and leaves nothing behind', async (t) => {
  const h = await setUp(t);
  // The uninstall stops itself once it has marked the entry, holding the workspace's lock
  // (TWINBOX_TEST_PAUSE_AT); start goes in then, and the uninstall goes on after it.
  const uninstall = spawn(process.execPath, [TWINBOX_BIN, 'uninstall', 'office'], { env: { ...h.env, TWINBOX_TEST: '1', TWINBOX_TEST_PAUSE_AT: 'uninstall:marked' }, stdio: 'ignore' });
  let exited = false;
  const uninstalled = new Promise<number | null>((resolve) => uninstall.once('exit', (code) => resolve(code)));
  void uninstalled.then(() => (exited = true));
  const lockFile = join(h.workspaceDir('office'), 'lock');
  const stopped = () => /^State:\s+T/m.test(readFileSync(`/proc/${uninstall.pid}/status`, 'utf8'));
  while (!exited && !stopped()) await sleep(5);
  t.false(exited, 'the uninstall stopped at its point instead of ending');
  t.is(lockHolder(lockFile)?.operation, 'uninstall', 'the uninstall holds the workspace');
  const start = await twinbox(['start', 'office'], h.env);
  uninstall.kill('SIGCONT');
  t.is(await uninstalled, 0);
  t.true([2, 75].includes(start.exitCode), `${start.exitCode}: ${start.stderr}`);
  t.regex(start.stderr, /^twinbox: (workspace "office" is busy: uninstall by process \d+|workspace "office" was uninstalled|no workspace named "office" is installed)/);
  t.false(/reset/.test(start.stderr), 'no hint to reset a workspace that is gone');
  t.false(existsSync(h.workspaceDir('office')));
  t.is(h.registry().find('office'), undefined);
});
