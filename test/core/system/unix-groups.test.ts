import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { CommandRunner, RunOptions } from 'twinbox/plugin-api';
import { ExecaCommandRunner } from '../../../src/core/process/execa-runner.js';
import { currentCaller, nameDirectoryGroups, resolveCallerGroups } from '../../../src/core/system/caller.js';
import { directoryGroupNames } from '../../../src/core/system/unix-groups.js';
import { tempDir } from '../../helpers/temp.js';

/** The real runner, with PATH set to `path`: to put a program in front of the system's, or none. */
function runnerWithPath(path: string, calls: string[][] = []): CommandRunner {
  const real = new ExecaCommandRunner();
  return Object.assign(Object.create(real) as CommandRunner, {
    run: (command: string, args: readonly string[], options: RunOptions = {}) => {
      calls.push([command, ...args]);
      return real.run(command, args, { ...options, env: { ...process.env, PATH: path } });
    },
  });
}

test('the name service names a group by its id, and an id it does not know is left out', async (t) => {
  const names = await directoryGroupNames([0, 3_999_999], new ExecaCommandRunner());
  t.deepEqual([...names], [[0, 'root']]);
});

test('a group only a directory knows (LDAP, SSSD) is named from getent; one nobody knows stays a number', async (t) => {
  const bin = join(tempDir(t, 'tbx-getent-'), 'bin');
  mkdirSync(bin);
  // What getent prints for a directory group: group(5) lines, exit 2 when some key was not found.
  writeFileSync(join(bin, 'getent'), '#!/bin/sh\n[ "$1" = group ] || exit 1\nshift\nfor id in "$@"; do [ "$id" = 1234567 ] && echo "engineers:*:1234567:alice,bob"; done\nexit 2\n');
  chmodSync(join(bin, 'getent'), 0o755);
  const calls: string[][] = [];
  const caller = { uid: 1000, user: 'alice', gids: [1000, 1234567, 7654321], groups: ['alice', '1234567', '7654321'] };
  const named = await nameDirectoryGroups(caller, runnerWithPath(bin, calls));
  t.deepEqual(named.groups, ['alice', 'engineers', '7654321']);
  t.deepEqual(calls, [['getent', 'group', '1234567', '7654321']]);
});

test('where /etc/group names every group, nothing is run; where getent is missing, the numbers stay', async (t) => {
  const calls: string[][] = [];
  const local = { uid: 0, user: 'root', gids: [0], groups: ['root'] };
  t.is(await nameDirectoryGroups(local, runnerWithPath('/nonexistent', calls)), local);
  t.deepEqual(calls, []);
  const empty = tempDir(t, 'tbx-nopath-');
  const unnamed = { uid: 1000, user: 'alice', gids: [1234567], groups: ['1234567'] };
  t.deepEqual((await nameDirectoryGroups(unnamed, runnerWithPath(empty, calls))).groups, ['1234567']);
  t.deepEqual(calls, [['getent', 'group', '1234567']]);
});

test('the caller keeps its names after they are resolved: later access checks read them synchronously', async (t) => {
  const before = currentCaller();
  const after = await resolveCallerGroups(new ExecaCommandRunner());
  t.deepEqual(after.gids, before.gids);
  t.is(currentCaller(), after);
  // This machine's own groups are named by its name service wherever getent can.
  const names = await directoryGroupNames(after.gids, new ExecaCommandRunner());
  t.deepEqual(after.groups, after.gids.map((gid, index) => names.get(gid) ?? before.groups[index]));
});
