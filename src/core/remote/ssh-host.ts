/**
 * `--host ssh://[user@]host[:port]`: a twinbox command run on another machine through the
 * user's own OpenSSH client — their keys, agent, `~/.ssh/config` and known_hosts — the way
 * `docker -H ssh://` and libvirt's `qemu+ssh://` reach a remote daemon, except that the remote
 * side is the same twinbox CLI and there is no daemon at all.
 *
 * - Host keys are checked as OpenSSH checks them: twinbox never passes StrictHostKeyChecking.
 * - `BatchMode=yes` (no password or passphrase prompt that would hang a script), and
 *   connection sharing: a master connection in the user's own 0700 runtime folder
 *   (`ControlPath=<runtime>/ssh/%C`, `ControlPersist=60`), so the next command within a minute
 *   costs no new handshake.
 * - OpenSSH hands the remote side one command line that the remote user's shell splits, so
 *   each argument is quoted for a POSIX shell here (`'…'`); nothing is interpolated locally.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareVersions, parseSemver, TwinboxError } from '../../plugin-api/index.js';

export interface SshHost {
  user?: string;
  host: string;
  port?: number;
  /** As the user wrote it, for messages. */
  address: string;
}

const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
// A host name or an IPv4 address (letters, digits, dots, dashes; never a leading dash, which
// ssh would read as an option), or an IPv6 literal in brackets.
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/;
const IPV6 = /^\[([0-9A-Fa-f:.]{2,45})\]$/;

function badAddress(address: string, why: string): TwinboxError {
  return new TwinboxError('bad-host-address', `${JSON.stringify(address)} is not a host address: ${why}`, {
    hint: 'write it as ssh://[user@]host[:port], e.g. --host ssh://admin@build-7.example.com:2222',
    exit: 'usage',
  });
}

/** Parses `ssh://[user@]host[:port]`; anything else (another scheme, a path, shell or option characters) is refused. */
export function parseHostAddress(address: string): SshHost {
  const match = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]/]*\]|[^:/@]*)(?::([^/]*))?\/?$/.exec(address);
  if (!match) throw badAddress(address, 'expected ssh://[user@]host[:port]');
  const [, user, rawHost, rawPort] = match;
  if (user !== undefined && !USER.test(user)) throw badAddress(address, `the user name ${JSON.stringify(user)} may hold only letters, digits, ".", "_" and "-"`);
  const v6 = IPV6.exec(rawHost ?? '');
  const host = v6 ? v6[1]! : (rawHost ?? '');
  if (!v6 && !HOST_NAME.test(host)) throw badAddress(address, host === '' ? 'no host name' : `the host ${JSON.stringify(host)} may hold only letters, digits, "." and "-", and not start with "-"`);
  let port: number | undefined;
  if (rawPort !== undefined) {
    port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
    if (!(port >= 1 && port <= 65535)) throw badAddress(address, `the port ${JSON.stringify(rawPort)} is not a number from 1 to 65535`);
  }
  return { user, host, port, address };
}

/**
 * Exactly the addresses parseHostAddress accepts, as one pattern without flags: the `hosts`
 * setting's JSON Schema (conf's check of settings.json) uses it, and a property test holds the
 * two to agreeing. A port may carry leading zeros (at most five digits) and runs from 1 to 65535.
 */
export const HOST_ADDRESS_PATTERN = new RegExp(
  '^ssh://(?:[A-Za-z_][A-Za-z0-9_.-]{0,63}@)?(?:\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9][A-Za-z0-9.-]{0,252})' +
    '(?::(?=\\d{1,5}/?$)0*(?:[1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5]))?/?$',
);

/** What is wrong with an address, in parseHostAddress's words, or undefined when it is one. */
export function hostAddressProblem(address: string): string | undefined {
  try {
    parseHostAddress(address);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** One argument for the remote user's POSIX shell: single-quoted, a quote inside as '\''. */
export function quoteForRemoteShell(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

export interface SshInvocation {
  /** `ssh`'s argument vector (no shell runs locally). */
  args: string[];
  controlDir: string;
}

/**
 * The `ssh` command line that runs `remote` (a twinbox command and its arguments) on `target`.
 * `tty`: ask for a remote terminal (`-t`) for the dashboard, the menu and terminal apps;
 * `configFile`: an ssh_config to read instead of ~/.ssh/config (TWINBOX_SSH_CONFIG).
 */
export function sshInvocation(target: SshHost, runtimeDir: string, remote: string[], options: { tty?: boolean; configFile?: string } = {}): SshInvocation {
  const controlDir = join(runtimeDir, 'ssh');
  mkdirSync(controlDir, { recursive: true, mode: 0o700 });
  const args = [
    ...(options.configFile ? ['-F', options.configFile] : []),
    '-o', 'BatchMode=yes',
    '-o', 'ControlMaster=auto',
    '-o', `ControlPath=${join(controlDir, '%C')}`,
    '-o', 'ControlPersist=60',
    '-o', 'ConnectTimeout=10',
    '-o', 'ServerAliveInterval=15',
    '-o', 'ServerAliveCountMax=2',
    options.tty ? '-tt' : '-T',
    ...(target.port !== undefined ? ['-p', String(target.port)] : []),
    ...(target.user !== undefined ? ['-l', target.user] : []),
    '--',
    target.host,
    remote.map(quoteForRemoteShell).join(' '),
  ];
  return { args, controlDir };
}

/** What ssh's own last words (exit 255) mean, with the fix. */
export function sshFailure(target: SshHost, stderr: string): TwinboxError {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const text = lines.join('\n');
  const last = lines.at(-1) ?? 'ssh failed without a message';
  const details = { host: target.address, ssh: last };
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/i.test(text)) {
    const changed = /HAS CHANGED/i.test(text);
    return new TwinboxError('host-key-mismatch', `${target.address}: ${changed ? 'its host key has changed since it was recorded' : 'its host key is not known'} — OpenSSH refused it (${last})`, {
      hint: changed
        ? `if the host was reinstalled, check its new key with its administrator, then \`ssh-keygen -R ${target.host}\` and connect once with \`ssh ${target.host}\``
        : `connect once with \`ssh ${target.port ? `-p ${target.port} ` : ''}${target.user ? `${target.user}@` : ''}${target.host}\` and check the key it shows, so that it is recorded in ~/.ssh/known_hosts`,
      exit: 'denied',
      details,
    });
  }
  if (/Permission denied/i.test(text)) {
    return new TwinboxError('host-auth-failed', `${target.address}: the host refused every key offered (${last})`, {
      hint: 'load your key into ssh-agent (ssh-add) or name it in ~/.ssh/config; twinbox asks for no password (BatchMode)',
      exit: 'denied',
      details,
    });
  }
  if (/timed out/i.test(text)) {
    return new TwinboxError('host-unreachable', `${target.address} did not answer (${last})`, { hint: 'check the host is up and reachable from here', exit: 'timeout', details });
  }
  return new TwinboxError('host-unreachable', `cannot reach ${target.address} (${last})`, {
    // The port ssh tried (an ssh_config Port, when the address names none) is in its message.
    hint: /refused/i.test(text) ? `is sshd listening on ${target.host}:${/port (\d+): Connection refused/i.exec(text)?.[1] ?? target.port ?? 22}?` : 'check the address and your ~/.ssh/config; `ssh -v` shows more',
    details,
  });
}

/** The oldest twinbox a host may run: one that speaks this version's --json both ways. */
export const OLDEST_REMOTE_VERSION = '0.1.0';

/** The version `twinbox --version` printed first (whatever follows it on the line), as semver reads it. */
function printedVersion(text: string): { version: string; major: number } | undefined {
  const match = /^\d+\.\d+\.\d+/.exec(text.trim());
  const parsed = match ? parseSemver(match[0], { loose: true }) : undefined;
  return parsed ? { version: `${parsed.major}.${parsed.minor}.${parsed.patch}`, major: parsed.major } : undefined;
}

/** Refuses a host whose twinbox is older than OLDEST_REMOTE_VERSION, or of another major version. */
export function checkRemoteVersion(target: SshHost, reported: string, local: string): string {
  const remote = printedVersion(reported);
  const mine = printedVersion(local)!;
  if (!remote) {
    throw new TwinboxError('host-not-twinbox', `${target.address}: \`twinbox --version\` printed ${JSON.stringify(reported.trim().slice(0, 80))}, not a version`, {
      hint: 'the program called twinbox on that host is not twinbox: install twinbox there (npm install --global twinbox)',
    });
  }
  const older = compareVersions(remote.version, OLDEST_REMOTE_VERSION) < 0;
  if (older || remote.major !== mine.major) {
    throw new TwinboxError('host-version', `${target.address} runs twinbox ${remote.version}, ${older ? 'older than' : 'of another major version than'} this twinbox ${local} can drive (${OLDEST_REMOTE_VERSION} or newer, ${mine.major}.x)`, {
      hint: `upgrade twinbox on that host (npm install --global twinbox@${mine.major}) to use it from here`,
      details: { host: target.address, remoteVersion: remote.version, localVersion: local },
    });
  }
  return remote.version;
}
