import { TwinboxError } from '../../plugin-api/index.js';
import { checkRemoteVersion, sshFailure, sshInvocation, type SshHost } from './ssh-host.js';

export interface RemoteRunOptions {
  /** This user's runtime folder: the SSH master connections live in its `ssh/` folder. */
  runtimeDir: string;
  /** This twinbox's version, which the host's must be compatible with. */
  localVersion: string;
  /** How the host starts twinbox (TWINBOX_REMOTE_COMMAND): `twinbox` on its PATH unless set, words split on spaces. */
  remoteCommand?: string;
  /** A remote terminal for the dashboard, the menu and terminal apps. */
  tty?: boolean;
  /** An ssh_config file instead of ~/.ssh/config (TWINBOX_SSH_CONFIG). */
  sshConfig?: string;
  /** Ends the probe's ssh when aborted (a dashboard that closes while a host is being asked). */
  signal?: AbortSignal;
}

const PROBE_TIMEOUT_MS = 30_000;

export function remoteCommandWords(command: string | undefined): string[] {
  const words = (command ?? 'twinbox').trim().split(/\s+/).filter(Boolean);
  return words.length > 0 ? words : ['twinbox'];
}

/** Asks the host's twinbox its version over a (new or shared) connection; refuses a host it cannot drive. */
export async function probeHost(target: SshHost, options: RemoteRunOptions): Promise<string> {
  const { execa } = await import('execa');
  const command = remoteCommandWords(options.remoteCommand);
  const { args } = sshInvocation(target, options.runtimeDir, [...command, '--version'], { configFile: options.sshConfig });
  const probe = await execa('ssh', args, { reject: false, stdin: 'ignore', timeout: PROBE_TIMEOUT_MS, encoding: 'utf8', cancelSignal: options.signal });
  if (probe.isCanceled) throw new TwinboxError('host-unreachable', `${target.address}: asking its twinbox was cancelled`, { hint: 'nothing to do: the dashboard closed meanwhile' });
  if (probe.timedOut) throw new TwinboxError('host-unreachable', `${target.address} did not answer within ${PROBE_TIMEOUT_MS / 1000} s`, { hint: 'check the host is up and reachable from here', exit: 'timeout' });
  if (probe.exitCode === 255 || (probe.exitCode === undefined && probe.failed)) throw sshFailure(target, String(probe.stderr ?? probe.message));
  if (probe.exitCode === 127) {
    throw new TwinboxError('host-no-twinbox', `${target.address}: \`${command.join(' ')}\` was not found there`, {
      hint: 'install twinbox on that host (npm install --global twinbox), or set TWINBOX_REMOTE_COMMAND to how it is started there (e.g. "npx twinbox"); non-interactive SSH may have a shorter PATH',
    });
  }
  if (probe.exitCode !== 0) {
    throw new TwinboxError('host-no-twinbox', `${target.address}: \`${command.join(' ')} --version\` exited ${probe.exitCode}: ${String(probe.stderr).trim().split('\n').at(-1) ?? ''}`, {
      hint: 'check the twinbox installation on that host',
    });
  }
  return checkRemoteVersion(target, String(probe.stdout), options.localVersion);
}

/**
 * Runs `argv` (a twinbox command line) on the host and returns its exit code, its standard
 * input, output and error passed straight through: what the host's twinbox prints (its `--json`
 * included) is what this one prints, and its exit code is this one's.
 */
export async function runOnHost(target: SshHost, argv: string[], options: RemoteRunOptions): Promise<number> {
  await probeHost(target, options);
  const { execa } = await import('execa');
  const { args } = sshInvocation(target, options.runtimeDir, [...remoteCommandWords(options.remoteCommand), ...argv], { tty: options.tty, configFile: options.sshConfig });
  const result = await execa('ssh', args, { reject: false, stdio: 'inherit' });
  if (result.exitCode === 255) {
    throw new TwinboxError('host-connection-lost', `the connection to ${target.address} failed or was lost while the command ran (ssh's message is above)`, {
      hint: 'run the command again; `twinbox --host ADDRESS status` shows what it left on the host',
    });
  }
  if (result.exitCode === undefined) return result.signal === 'SIGINT' ? 130 : result.signal === 'SIGTERM' ? 143 : 1;
  return result.exitCode;
}

export interface CapturedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `argv` on the host with its output captured rather than passed through (the dashboard's
 * actions on a host's workspace, `--json` among `argv`). The probe comes first, as for runOnHost.
 */
export async function runOnHostCaptured(target: SshHost, argv: string[], options: RemoteRunOptions): Promise<CapturedRun> {
  await probeHost(target, options);
  const { execa } = await import('execa');
  const { args } = sshInvocation(target, options.runtimeDir, [...remoteCommandWords(options.remoteCommand), ...argv], { configFile: options.sshConfig });
  const result = await execa('ssh', args, { reject: false, stdin: 'ignore', encoding: 'utf8' });
  if (result.exitCode === 255) throw sshFailure(target, String(result.stderr ?? ''));
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/**
 * The round trip to the host, in ms: an empty command (`exit`, which every remote shell knows)
 * over the shared master connection, so neither a handshake nor a twinbox start is counted.
 * Undefined when it fails (the stream's own failure says why).
 */
export async function pingHost(target: SshHost, options: RemoteRunOptions): Promise<number | undefined> {
  const { execa } = await import('execa');
  const { args } = sshInvocation(target, options.runtimeDir, ['exit'], { configFile: options.sshConfig });
  const started = performance.now();
  const result = await execa('ssh', args, { reject: false, stdin: 'ignore', timeout: PROBE_TIMEOUT_MS, encoding: 'utf8', cancelSignal: options.signal });
  return result.exitCode === 0 ? performance.now() - started : undefined;
}
