/**
 * `twinbox --host ssh://[user@]host[:port] COMMAND …` (or TWINBOX_HOST): the command runs on
 * that host's twinbox through the user's own OpenSSH client; its output, `--json` included,
 * and its exit code come back as if it had run here.
 */
import { isTwinboxError } from '../plugin-api/errors.js';
import { packageVersion } from '../core/install-root.js';
import { resolvePaths } from '../core/paths.js';
import { ownArgs, printFailure } from './run-command.js';

export interface HostChoice {
  /** The ssh:// address from --host, or from TWINBOX_HOST when no --host was given. */
  address?: string;
  /** The command line without the --host option. */
  argv: string[];
  /** `--host` given without an address. */
  missing?: boolean;
}

/** Takes `--host ADDRESS` / `--host=ADDRESS` out of twinbox's own arguments (never after `--`). */
export function takeHostOption(argv: readonly string[], env: NodeJS.ProcessEnv): HostChoice {
  const end = argv.indexOf('--');
  const own = end === -1 ? [...argv] : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end);
  let address: string | undefined;
  let missing = false;
  const kept: string[] = [];
  for (let index = 0; index < own.length; index++) {
    const arg = own[index]!;
    if (arg === '--host') {
      const next = own[index + 1];
      if (next === undefined || next.startsWith('--')) missing = true;
      else address = next;
      index++;
    } else if (arg.startsWith('--host=')) {
      address = arg.slice('--host='.length);
      if (address === '') missing = true;
    } else kept.push(arg);
  }
  return { address: address ?? (missing ? undefined : env.TWINBOX_HOST || undefined), argv: [...kept, ...rest], missing };
}

export async function runRemote(address: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const json = ownArgs(argv).includes('--json');
  try {
    const [{ parseHostAddress }, { runOnHost }, { ensurePrivateRuntimeDir }] = await Promise.all([
      import('../core/remote/ssh-host.js'),
      import('../core/remote/run-remote.js'),
      import('../core/private-runtime-dir.js'),
    ]);
    const target = parseHostAddress(address);
    const runtimeDir = resolvePaths(env).runtimeDir;
    ensurePrivateRuntimeDir(runtimeDir);
    // The dashboard, the menu and terminal apps need a terminal on the host when this is one.
    const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    return await runOnHost(target, argv, { runtimeDir, localVersion: packageVersion(), remoteCommand: env.TWINBOX_REMOTE_COMMAND, sshConfig: env.TWINBOX_SSH_CONFIG, tty });
  } catch (error) {
    if (!isTwinboxError(error)) throw error;
    return printFailure({ code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode }, json);
  }
}
