import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { acquireLock } from '../../src/core/workspace/lock.js';
import type { WorkspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinbox } from '../helpers/cli.js';

test('snapshot take, list, restore and delete on a running workspace, through the CLI', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  t.is((await twinbox(['start', 'office'], h.env)).exitCode, 0);

  const empty = await twinbox(['snapshot', 'list', 'office'], h.env);
  t.is(empty.exitCode, 0, empty.stderr);
  t.is(empty.stdout, 'office has no snapshots; take one with `twinbox snapshot take office`\n');

  const marker = join(h.guestRoot('office'), 'etc', 'marker');
  writeFileSync(marker, 'before\n');
  const take = await twinbox(['snapshot', 'take', 'office', 'before-upgrade', '--json'], h.env);
  t.is(take.exitCode, 0, take.stderr);
  t.deepEqual(JSON.parse(take.stdout), { workspace: 'office', snapshot: 'before-upgrade' });
  const timed = await twinbox(['snapshot', 'take', 'office'], h.env);
  t.regex(timed.stdout, /^took snapshot "snap-\d{8}-\d{6}" of office\n$/);

  const list = await twinbox(['snapshot', 'list', 'office', '--json'], h.env);
  const listed = JSON.parse(list.stdout) as { name: string; createdAt?: string }[];
  t.is(listed.length, 2);
  t.is(listed[0]!.name, 'before-upgrade', 'oldest first');
  t.regex(listed[1]!.name, /^snap-\d{8}-\d{6}$/);
  t.false(Number.isNaN(Date.parse(listed[0]!.createdAt ?? '')));
  const plain = await twinbox(['snapshot', 'list', 'office'], h.env);
  t.regex(plain.stdout, /^NAME\s+TAKEN\s+SIZE\n/);
  t.regex(plain.stdout, /^before-upgrade\s+\d{4}-\d\d-\d\dT/m);

  // Without a terminal a restore needs --yes, and asks nothing of a script.
  writeFileSync(marker, 'after\n');
  const unconfirmed = await twinbox(['snapshot', 'restore', 'office', 'before-upgrade'], h.env);
  t.is(unconfirmed.exitCode, 2);
  t.regex(unconfirmed.stderr, /needs confirmation, but there is no terminal to ask on/);
  t.regex(unconfirmed.stderr, /twinbox snapshot restore office before-upgrade --yes/);
  t.is(readFileSync(marker, 'utf8'), 'after\n', 'nothing restored');

  // A snapshot that is not there: a clear error, the running workspace untouched.
  const missing = await twinbox(['snapshot', 'restore', 'office', 'deleted-meanwhile', '--yes'], h.env);
  t.is(missing.exitCode, 2);
  t.regex(missing.stderr, /^twinbox: workspace "office" has no snapshot "deleted-meanwhile"\n/);
  t.regex(missing.stderr, /its snapshots: .*before-upgrade/);
  const still = JSON.parse((await twinbox(['status', 'office', '--json'], h.env)).stdout) as WorkspaceStatus;
  t.is(still.state, 'running', 'a failed restore leaves the VM running');

  const restore = await twinbox(['snapshot', 'restore', 'office', 'before-upgrade', '--yes', '--json'], h.env);
  t.is(restore.exitCode, 0, restore.stderr);
  t.deepEqual(JSON.parse(restore.stdout), { workspace: 'office', snapshot: 'before-upgrade', was: 'running', state: 'stopped' });
  t.is(readFileSync(marker, 'utf8'), 'before\n', 'the guest files are those of the snapshot');

  const held = acquireLock(join(h.workspaceDir('office'), 'lock'), 'office', 'setup');
  try {
    const busy = await twinbox(['snapshot', 'delete', 'office', 'before-upgrade', '--yes'], h.env);
    t.is(busy.exitCode, 75);
    t.regex(busy.stderr, /workspace "office" is busy: setup by process \d+/);
  } finally {
    held.release();
  }
  const removed = await twinbox(['snapshot', 'delete', 'office', 'before-upgrade', '--yes', '--json'], h.env);
  t.is(removed.exitCode, 0, removed.stderr);
  t.is((JSON.parse(removed.stdout) as { left: string[] }).left.length, 1);
  const again = await twinbox(['snapshot', 'delete', 'office', 'before-upgrade', '--yes'], h.env);
  t.is(again.exitCode, 2);

  const log = await twinbox(['logs', 'office', '--json'], h.env);
  const messages = log.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { message: string }).message);
  for (const expected of ['took snapshot "before-upgrade"', 'stopping the VM to restore snapshot "before-upgrade"', 'restored snapshot "before-upgrade" (the VM was running)', 'deleted snapshot "before-upgrade"']) {
    t.true(messages.includes(expected), expected);
  }
  t.false(existsSync(join(h.workspaceDir('office'), 'vm', 'snapshots', 'before-upgrade')));
});

test('snapshot refuses bad arguments and names before touching anything', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  for (const [args, pattern] of [
    [['snapshot'], /say what to do: list, take, restore, delete/],
    [['snapshot', 'rollback', 'office'], /say what to do/],
    [['snapshot', 'list'], /give the workspace/],
    [['snapshot', 'restore', 'office'], /give the snapshot to restore/],
    [['snapshot', 'take', 'office', '../escape'], /"\.\.\/escape" is not a snapshot name/],
    [['snapshot', 'take', 'office', '-x'], /./],
    [['snapshot', 'list', 'nope'], /nope/],
  ] as const) {
    const result = await twinbox([...args], h.env);
    t.is(result.exitCode, 2, args.join(' '));
    t.regex(result.stderr, pattern, args.join(' '));
    t.is(result.stderr.trim().split('\n').filter((line) => !line.startsWith('hint:')).length, 1, `one line: ${result.stderr}`);
  }
  const notSetUp = await twinbox(['snapshot', 'take', 'office'], h.env);
  t.is(notSetUp.exitCode, 2);
  t.regex(notSetUp.stderr, /has no VM yet: first-time setup has not run/);
});
