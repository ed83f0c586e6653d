/**
 * `--host ssh://…` against real OpenSSH servers on loopback ports (Debian's sshd, throwaway
 * users and keys): three hosts, each its own user and home. Commands run on the host's
 * twinbox through the user's ssh client, its config and known_hosts; output, --json and exit
 * codes come back as if local; one handshake serves several commands; a changed host key, a
 * host running an older twinbox and a host that went away are each told in one line.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { run, type Run } from '../helpers/processes.js';
import { startSshd, whyNoSshd, type SshHost } from '../helpers/sshd.js';
import { sshConfig } from './helpers/ssh-config.js';

const why = whyNoSshd();
const serial = why === undefined ? test.serial : test.serial.skip;
// CI runs as root with openssh-server installed: there a missing sshd is a failure, not a skip.
if (why !== undefined && process.env.CI) test('a real sshd is here for the remote-host tests', (t) => t.fail(`cannot run them: ${why}`));
else if (why !== undefined) console.log(`remote-hosts tests skipped: ${why}`);

/** This twinbox, with no TWINBOX_HOST but the test's own. */
const twinbox = (args: string[], env: NodeJS.ProcessEnv): Promise<Run> => run(process.execPath, [TWINBOX_BIN, ...args], { env: { CI: '', TWINBOX_HOST: '', ...env } });

const accepted = (host: SshHost) => (host.log().match(/Accepted publickey/g) ?? []).length;

serial('commands run on three SSH hosts as if local; a changed host key, an older twinbox and a host gone are each one line', async (t) => {
  const a = await startSshd(t, { prefix: 'tbxra' });
  const b = await startSshd(t, { prefix: 'tbxrb' });
  const c = await startSshd(t, { prefix: 'tbxrc' });
  const dir = mkdtempSync(join(tmpdir(), 'tbx-remote-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The host's twinbox: this checkout, started by its own node (a non-interactive SSH PATH is short).
  const remote = `${process.execPath} ${TWINBOX_BIN}`;
  const env = { TWINBOX_HOME: join(dir, 'local'), TWINBOX_SSH_CONFIG: sshConfig(dir, { 'host-a': { host: a }, 'host-b': { host: b }, 'host-c': { host: c } }), TWINBOX_REMOTE_COMMAND: remote };

  // A workspace set up on host A, from here.
  const demo = await twinbox(['--host', 'ssh://host-a', 'demo', '--fake', '--no-ui'], env);
  t.is(demo.exitCode, 0, demo.stderr);
  t.regex(demo.stdout, /workspace "demo" \(VM "demo"\) is running on fake — SIMULATED/);
  const status = await twinbox(['status', '--json', '--host', 'ssh://host-a'], env);
  t.is(status.exitCode, 0, status.stderr);
  t.deepEqual((JSON.parse(status.stdout) as { name: string; state: string }[]).map((ws) => [ws.name, ws.state]), [['demo', 'running']]);
  const hello = await twinbox(['--host=ssh://host-a', 'run', 'demo', 'hello', '--', "it's", 'two words', '$(id)'], env);
  t.is(hello.exitCode, 0, hello.stderr);
  t.is(hello.stdout, "Hello from demo-guest, a guest of twinbox.\narguments: it's two words $(id)\n", 'every argument arrived as one word, nothing expanded');

  // Exit codes and errors as if local, plain and --json.
  const missing = await twinbox(['--host', 'ssh://host-a', 'run', 'demo', 'nope'], env);
  t.is(missing.exitCode, 2);
  t.regex(missing.stderr, /^twinbox: .*nope/m);
  const missingJson = await twinbox(['--host', 'ssh://host-a', 'status', 'nope', '--json'], env);
  t.is(missingJson.exitCode, 2);
  t.like(JSON.parse(missingJson.stdout), { error: { exitCode: 2 } });

  // One handshake for all of them: the master connection in the user's runtime folder.
  t.is(accepted(a), 1, a.log());
  const runtime = readdirSync(join(tmpdir(), `twinbox-${process.getuid!()}`)).map((tag) => join(tmpdir(), `twinbox-${process.getuid!()}`, tag, 'ssh'));
  const controlDir = runtime.find((path) => {
    try {
      return readdirSync(path).length > 0;
    } catch {
      return false;
    }
  });
  t.truthy(controlDir, 'a control socket exists');
  t.is(statSync(controlDir!).mode & 0o777, 0o700);

  // TWINBOX_HOST names host B; nothing of A's is there.
  const onB = await twinbox(['status', '--json'], { ...env, TWINBOX_HOST: 'ssh://host-b' });
  t.is(onB.exitCode, 0, onB.stderr);
  t.deepEqual(JSON.parse(onB.stdout), []);

  // Host B's key as recorded no longer matches (another key in known_hosts): OpenSSH refuses, exit 4.
  const other = join(dir, 'other_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
  const wrongKnownHosts = join(dir, 'known_hosts-wrong');
  writeFileSync(wrongKnownHosts, `[127.0.0.1]:${b.port} ${execFileSync('cat', [`${other}.pub`], { encoding: 'utf8' }).split(' ').slice(0, 2).join(' ')}\n`);
  chmodSync(wrongKnownHosts, 0o600);
  const changedEnv = { ...env, TWINBOX_HOME: join(dir, 'local-2'), TWINBOX_SSH_CONFIG: sshConfig(dir, { 'host-b': { host: b, knownHosts: wrongKnownHosts } }) };
  const changed = await twinbox(['--host', 'ssh://host-b', 'status'], changedEnv);
  t.is(changed.exitCode, 4, changed.stderr);
  t.regex(changed.stderr, /^twinbox: ssh:\/\/host-b: its host key has changed since it was recorded — OpenSSH refused it/m);
  t.regex(changed.stderr, /^hint: .*ssh-keygen -R host-b/m);

  // Host C runs an older twinbox.
  const old = join(c.dir, 'old-twinbox');
  writeFileSync(old, '#!/bin/sh\necho 0.0.9\n');
  chmodSync(old, 0o755);
  const older = await twinbox(['--host', 'ssh://host-c', 'status', '--json'], { ...env, TWINBOX_REMOTE_COMMAND: old });
  t.is(older.exitCode, 1);
  t.like(JSON.parse(older.stdout), { error: { code: 'host-version', message: 'ssh://host-c runs twinbox 0.0.9, older than this twinbox 0.1.0 can drive (0.1.0 or newer, 0.x)' } });

  // Host A goes away mid-session: the next command says so, and the others still answer.
  await twinbox(['--host', 'ssh://host-a', 'demo', '--remove'], env);
  await a.stop();
  const gone = await twinbox(['--host', 'ssh://host-a', 'status'], env);
  t.is(gone.exitCode, 1, gone.stderr);
  t.regex(gone.stderr, /^twinbox: cannot reach ssh:\/\/host-a \(.*Connection refused\)$/m);
  t.is((await twinbox(['--host', 'ssh://host-b', 'status', '--json'], env)).exitCode, 0);
});
