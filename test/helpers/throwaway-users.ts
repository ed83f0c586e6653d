import { execFile, execFileSync } from 'node:child_process';
import { realpathSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExecutionContext } from 'ava';

/** Whatever can run clean-up when it ends: a test, or a suite's collector run by test.after.always. */
export type Teardown = Pick<ExecutionContext, 'teardown'>;
import { TWINBOX_BIN, type CliResult } from './cli.js';
import { has } from './processes.js';

export interface ThrowawayUser {
  name: string;
  uid: number;
  gid: number;
}

/** The first folder on the way to `file` that other users cannot pass, or the file when they cannot read it. */
function closedToOthers(file: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  }
  return (statSync(file).mode & 0o004) === 0 ? file : undefined;
}

/** Why users cannot be made and switched to here to run this twinbox, or undefined when they can. */
export function whyNoThrowawayUsers(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root, so no throw-away user can be created';
  const missing = ['useradd', 'userdel', 'groupadd', 'groupdel', 'setpriv'].filter((tool) => !has(tool));
  if (missing.length > 0) return `missing ${missing.join(', ')} (util-linux, passwd)`;
  // A checkout under /root, or a Node from root's npx cache (the Node 24 run), is root's alone.
  for (const file of [realpathSync(TWINBOX_BIN), realpathSync(process.execPath)]) {
    const closed = closedToOthers(file);
    if (closed) return `${closed} is not readable by other users, so they cannot run ${file}`;
  }
  return undefined;
}

/** A short unique name: user and group names must stay under 32 characters. */
export function throwawayName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** A group that is deleted when the test ends (`groupdel` of a name this test made up). */
export function forgetGroup(t: Teardown, name: string): void {
  t.teardown(() => {
    try {
      execFileSync('groupdel', [name], { stdio: 'ignore' });
    } catch {
      // Never created: the test failed before twinbox made it.
    }
  });
}

/**
 * A user with no home and no login shell, deleted with its group and its twinbox runtime
 * folder when the test ends. `groups` are supplementary groups it joins.
 */
export function throwawayUser(t: Teardown, prefix: string, groups: string[] = []): ThrowawayUser {
  const name = throwawayName(prefix);
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', ...(groups.length > 0 ? ['--groups', groups.join(',')] : []), name]);
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  t.teardown(() => {
    rmSync(join(tmpdir(), `twinbox-${uid}`), { recursive: true, force: true });
    execFileSync('userdel', [name], { stdio: 'ignore' });
  });
  return { name, uid, gid };
}

/** Runs a program as `user` with its groups (setpriv --init-groups), in a bare environment plus `env`. */
export function runAs(user: ThrowawayUser, program: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  // TMPDIR as this process has it: the runtime folder the user's twinbox makes is found and removed here.
  const bare = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TMPDIR: tmpdir(), ...env };
  return new Promise((resolve) => {
    execFile('setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', program, ...args], { env: bare, cwd: '/', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `node bin/twinbox.js ARGS` as `user`. */
export function twinboxAs(user: ThrowawayUser, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runAs(user, process.execPath, [TWINBOX_BIN, ...args], env);
}
