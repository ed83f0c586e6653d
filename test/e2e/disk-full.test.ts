import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { installState } from '../core/package/helpers/state-snapshot.js';
import { mountTmpfs } from '../core/package/helpers/tmpfs.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinbox, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { packFakeWorkspace } from '../helpers/workspace-package.js';

/**
 * A full disk and a read-only state folder, for real: TWINBOX_HOME on a small tmpfs that is
 * filled (by bytes, or by its inode limit so that it fills while an install unpacks), and on a
 * read-only bind mount. Needs root to mount (as in CI); skipped with the reason otherwise.
 */

function mount(args: string[]): string | undefined {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return ((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).trim();
  }
}

/** Writes `file` until the disk is full (ENOSPC), and returns how many bytes went in. */
function fill(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

function usedInodes(dir: string): number {
  return Number(execFileSync('df', ['--output=iused', dir], { encoding: 'utf8' }).trim().split('\n').pop());
}

async function ok(t: ExecutionContext, h: TestHome, args: string[]): Promise<CliResult> {
  const result = await twinbox(args, h.env);
  t.is(result.exitCode, 0, `twinbox ${args.join(' ')}: ${result.stderr}`);
  return result;
}

/** The installed workspace, as status sees it. */
async function office(t: ExecutionContext, h: TestHome): Promise<unknown> {
  const status = await ok(t, h, ['status', 'office', '--json']);
  const { name, version, setup, apps, vm } = JSON.parse(status.stdout) as Record<string, unknown>;
  return { name, version, setup: (setup as { state: string }).state, apps, vm };
}

test('install, setup and pack on a full disk fail with "no space left" naming the folder, exit 1, and harm nothing installed', async (t) => {
  const h = testHome(t);
  const skip = mountTmpfs(t, h.home, '100m');
  if (skip) {
    t.log(`skipped: ${skip}`);
    t.pass();
    return;
  }
  // Torn down before the tmpfs goes (teardowns run last first).
  t.teardown(() => h.removeVms());
  const packages = tempDir(t, 'tbx-pkgs-');
  const officePkg = await packFakeWorkspace(t, packages, 'office');
  const salesPkg = await packFakeWorkspace(t, packages, 'sales');
  const crmPkg = await packFakeWorkspace(t, packages, 'crm');
  await ok(t, h, ['install', officePkg]);
  await ok(t, h, ['setup', 'office', '--mode', 'silent']);
  await ok(t, h, ['stop', 'office']);
  await ok(t, h, ['install', salesPkg]);
  const before = installState(h.home);
  const officeBefore = await office(t, h);

  // 1. The disk fills while the install unpacks: room for a few more files only.
  mount(['-o', `remount,nr_inodes=${usedInodes(h.home) + 4}`, 'tmpfs', h.home]);
  const unpacked = await twinbox(['install', crmPkg], h.env);
  mount(['-o', 'remount,nr_inodes=100000', 'tmpfs', h.home]);
  t.is(unpacked.exitCode, 1, unpacked.stderr);
  t.regex(unpacked.stderr, /^twinbox: not enough free disk space in .*\/data\/store: the disk filled up while the package was unpacked; nothing was installed\nhint: free space on that disk/m);
  t.deepEqual(installState(h.home), before, 'the store and the registry are as they were: no staging folder, no entry');

  // 2. A disk with no byte left.
  const filler = join(h.home, 'filler');
  t.true(fill(filler) > 50 * 1024 * 1024);
  const setup = await twinbox(['setup', 'sales', '--mode', 'unattended', '--json'], h.env);
  t.is(setup.exitCode, 1, setup.stdout);
  const error = (JSON.parse(setup.stdout.trim().split('\n').pop()!) as { error: { code: string; message: string; exitCode: number } }).error;
  t.like(error, { code: 'disk-full', exitCode: 1 });
  t.regex(error.message, new RegExp(`^no space left on the disk of ${h.home}/data\\b.*\\(ENOSPC\\)`));

  const install = await twinbox(['install', crmPkg], h.env);
  t.is(install.exitCode, 1);
  t.regex(install.stderr, /^twinbox: not enough free disk space in .*\/data\/store: guest\.tar needs .* is free$/m);

  const source = join(packages, 'office-1.0.0-src');
  const out = join(h.home, 'office-copy.twbx');
  const pack = await twinbox(['pack', source, '--out', out], h.env);
  t.is(pack.exitCode, 1, pack.stderr);
  t.regex(pack.stderr, new RegExp(`twinbox: not enough free disk space in ${h.home}/office-copy\\.twbx\\.partial: the disk filled up while writing`));
  t.false(existsSync(out));
  t.deepEqual(readdirSync(h.home).filter((name) => name.includes('office-copy')), [], 'no partial package is left');

  // Nothing installed was harmed: reads work on the full disk, and once there is room again
  // everything works.
  t.deepEqual(installState(h.home), before, 'the store and the registry are as they were');
  t.deepEqual(await office(t, h), officeBefore);
  rmSync(filler);
  const ran = await ok(t, h, ['run', 'office', 'greet', '--', 'again']);
  t.regex(ran.stdout, /hello again/);
  await ok(t, h, ['setup', 'sales', '--mode', 'silent']);
  await ok(t, h, ['install', crmPkg]);
  for (const name of ['office', 'sales', 'crm']) await ok(t, h, ['uninstall', name]);
  t.deepEqual(await h.leftoverProcesses(), []);
});

test('a read-only state folder: commands that write fail with state-unwritable (exit 1) and change nothing; reads still work', async (t) => {
  const h = testHome(t);
  const packages = tempDir(t, 'tbx-pkgs-');
  await ok(t, h, ['install', await packFakeWorkspace(t, packages, 'office')]);
  await ok(t, h, ['setup', 'office', '--mode', 'silent']);
  await ok(t, h, ['stop', 'office']);
  const salesPkg = await packFakeWorkspace(t, packages, 'sales');
  mkdirSync(join(h.home, 'config'), { recursive: true });
  const before = installState(h.home);
  const refused = mount(['--bind', h.home, h.home]) ?? mount(['-o', 'remount,ro,bind', h.home]);
  if (refused) {
    t.log(`skipped: cannot make a read-only bind mount here (${refused})`);
    t.pass();
    return;
  }
  let mounted = true;
  t.teardown(() => {
    if (mounted) execFileSync('umount', ['-l', h.home], { stdio: 'pipe' });
  });

  for (const args of [['status', '--json'], ['apps', 'office', '--json'], ['logs', 'office', '--lines', '3'], ['snapshot', 'list', 'office'], ['menu', '--list'], ['config', 'list'], ['policy']]) {
    await ok(t, h, args);
  }
  t.like(await office(t, h), { name: 'office', setup: 'ready' });
  const doctor = await twinbox(['doctor', '--json'], h.env);
  t.like(JSON.parse(doctor.stdout), { state: { whole: true } }, doctor.stderr);

  const mutations = [
    ['start', 'office'],
    ['stop', 'office'],
    ['uninstall', 'office'],
    ['install', salesPkg],
    ['config', 'set', 'log.level', 'warn'],
    ['setup', 'office'],
    ['reset', 'office', '--yes'],
    ['snapshot', 'take', 'office'],
    ['publish', '--shims'],
  ];
  const run = await twinbox(['run', 'office', 'greet'], h.env);
  t.is(run.exitCode, 1);
  t.regex(run.stderr, new RegExp(`^twinbox: cannot write twinbox state in ${h.home}/data/workspaces/office \\(EROFS\\)\nhint: `));
  for (const args of mutations) {
    const result = await twinbox([...args, '--json'], h.env);
    t.is(result.exitCode, 1, `${args.join(' ')}: ${result.stdout}`);
    const error = (JSON.parse(result.stdout.trim().split('\n').pop()!) as { error: { code: string; message: string; hint: string } }).error;
    t.is(error.code, 'state-unwritable', `${args.join(' ')}: ${error.message}`);
    t.regex(error.message, new RegExp(`^cannot write twinbox state in ${h.home}/(config|data)\\b.* \\(EROFS\\)$`), args.join(' '));
    t.regex(error.hint, /reading commands such as `twinbox status` still work/);
  }
  execFileSync('umount', [h.home], { stdio: 'pipe' });
  mounted = false;
  t.deepEqual(installState(h.home), before, 'nothing changed');
  t.notThrows(() => JSON.parse(readFileSync(join(h.home, 'data', 'registry.json'), 'utf8')));
  const ran = await ok(t, h, ['run', 'office', 'greet', '--', 'after']);
  t.regex(ran.stdout, /hello after/);
  await ok(t, h, ['uninstall', 'office']);
});
