/**
 * A real SSH host on a loopback port: Debian's `sshd -D` with a configuration, host key and
 * authorized key of its own, logging in a throwaway user with a home of its own. Stand-in for
 * a machine of a fleet where containers cannot run. Root only (sshd must switch to the user).
 *
 *   const host = await startSshd(t);            // stopped, its user and folder removed, when t ends
 *   ssh -i host.identityFile -o UserKnownHostsFile=host.knownHostsFile -p host.port host.user.name@127.0.0.1
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwawayName, type Teardown, type ThrowawayUser } from './throwaway-users.js';
import { alive, has } from './processes.js';
import { freeLoopbackPort } from './ports.js';

export const SSHD = '/usr/sbin/sshd';
const PRIVSEP_DIR = '/run/sshd';

export interface SshUser extends ThrowawayUser {
  home: string;
}

export interface SshHost {
  /** Always 127.0.0.1. */
  address: string;
  port: number;
  /** A known_hosts file naming this host's key as `[127.0.0.1]:PORT`: check host keys strictly. */
  knownHostsFile: string;
  /** The private key the user's authorized_keys accepts (owned by the caller, 0600). */
  identityFile: string;
  user: SshUser;
  /** The host's own folder (0755, root's): the user's home is in it. */
  dir: string;
  /** sshd's log so far (-e: to standard error). */
  log(): string;
  /** Ends sshd and every process it started for sessions, then removes the user and the folder. */
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Start of the user's name (a few random hex digits follow). */
  prefix?: string;
}

/** Why no SSH host can be started here, or undefined when one can. */
export function whyNoSshd(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root: sshd cannot log in another user (CI runs as root)';
  if (!existsSync(SSHD)) return `${SSHD} is missing (apt-get install openssh-server)`;
  const missing = ['ssh', 'ssh-keygen', 'useradd', 'userdel'].filter((program) => !has(program));
  if (missing.length > 0) return `missing ${missing.join(', ')} (openssh-client, passwd)`;
  return undefined;
}

/** Resolves once something on the port greets as an SSH server; rejects when `child` exits first. */
function sshBanner(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  return new Promise((resolve, reject) => {
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`sshd exited with ${code} before it listened:\n${log()}`));
    });
    const attempt = () => {
      if (exited) return;
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('data', (data) => {
        socket.destroy();
        if (data.toString().startsWith('SSH-2.0-')) resolve();
        else reject(new Error(`port ${port} answered ${JSON.stringify(data.toString())}`));
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd did not listen on ${port} within 10 s:\n${log()}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Processes whose parent is in `roots`, and theirs, read from /proc. */
function descendants(roots: number[]): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const found = new Set<number>(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  for (const root of roots) found.delete(root);
  return [...found];
}

/** Processes running as `uid` (a throwaway user's: only what a test made them run). */
function processesOf(uid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === uid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

let running = 0;
let madePrivsepDir = false;

export async function startSshd(t: Teardown, options: SshdOptions = {}): Promise<SshHost> {
  const why = whyNoSshd();
  if (why) throw new Error(`cannot start sshd: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'tbx-sshd-'));
  chmodSync(dir, 0o755);
  const name = throwawayName(options.prefix ?? 'tbxssh');
  const home = join(dir, 'home');
  let user: SshUser | undefined;
  let child: ChildProcess | undefined;
  let stderr = '';
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child?.pid !== undefined) {
      // The listener's children are the sessions (and what they run); the user's processes too.
      const sessions = descendants([child.pid]);
      signal([child.pid, ...sessions], 'SIGTERM');
      if (user) signal(processesOf(user.uid), 'SIGTERM');
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && [child.pid, ...sessions].some(alive)) await new Promise((resolve) => setTimeout(resolve, 50));
      signal([child.pid, ...sessions.filter(alive)], 'SIGKILL');
      if (user) signal(processesOf(user.uid), 'SIGKILL');
      running--;
      if (running === 0 && madePrivsepDir) {
        try {
          rmdirSync(PRIVSEP_DIR);
          madePrivsepDir = false;
        } catch {
          // someone else's sshd uses it now
        }
      }
    }
    if (user) {
      rmSync(join(tmpdir(), `twinbox-${user.uid}`), { recursive: true, force: true });
      for (let tries = 0; tries < 20; tries++) {
        try {
          execFileSync('userdel', [user.name], { stdio: 'ignore' });
          break;
        } catch {
          // a process of the user still ends
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  t.teardown(stop);

  // '*': no password, yet not locked ("!"), which sshd refuses even for keys when it does not use PAM.
  execFileSync('useradd', ['--no-create-home', '--home-dir', home, '--shell', '/bin/sh', '--user-group', '--password', '*', name]);
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  user = { name, uid, gid, home };
  mkdirSync(join(home, '.ssh'), { recursive: true });
  chmodSync(home, 0o755);
  chmodSync(join(home, '.ssh'), 0o700);

  const hostKey = join(dir, 'ssh_host_ed25519_key');
  const identityFile = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `host of ${name}`, '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `key of ${name}`, '-f', identityFile]);
  const authorizedKeys = join(home, '.ssh', 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${identityFile}.pub`), { mode: 0o600 });
  chownSync(home, uid, gid);
  chownSync(join(home, '.ssh'), uid, gid);
  chownSync(authorizedKeys, uid, gid);

  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      'PidFile none',
      'UsePAM no',
      'StrictModes yes',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      `AllowUsers ${name}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'Subsystem sftp internal-sftp',
      'PrintMotd no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  if (!existsSync(PRIVSEP_DIR)) {
    mkdirSync(PRIVSEP_DIR, { mode: 0o755 });
    madePrivsepDir = true;
  }

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freeLoopbackPort();
    stderr = '';
    child = spawn(SSHD, ['-D', '-e', '-f', config, '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    running++;
    try {
      await sshBanner(port, child, () => stderr);
      break;
    } catch (error) {
      // Another process took the port between the probe and sshd's bind: try another.
      running--;
      child.kill('SIGKILL');
      if (attempt >= 3) throw error;
    }
  }

  const knownHostsFile = join(dir, 'known_hosts');
  const [type, key] = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
  writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${type} ${key}\n`);
  return { address: '127.0.0.1', port, knownHostsFile, identityFile, user, dir, log: () => stderr, stop };
}
