import { openSync, closeSync, constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { execa } from 'execa';
import {
  TwinboxError,
  type CommandResult,
  type CommandRunner,
  type DetachedOptions,
  type LongLivedProcess,
  type RunOptions,
} from '../../plugin-api/index.js';

function notFound(command: string, cause?: unknown): TwinboxError {
  return new TwinboxError('command-not-found', `${command}: program not found`, {
    hint: `install ${command} or put it on PATH`,
    cause,
  });
}

/** The real process boundary: execa, argument arrays, never a shell. */
export class ExecaCommandRunner implements CommandRunner {
  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const result = await execa(command, args, {
      cwd: options.cwd,
      env: options.env,
      input: options.input,
      timeout: options.timeoutMs,
      cancelSignal: options.signal,
      reject: false,
      stripFinalNewline: false,
      encoding: 'utf8',
    });
    if ((result as { code?: string }).code === 'ENOENT' || (result.failed && result.exitCode === undefined && /ENOENT/.test(String(result.message)))) {
      throw notFound(command, result);
    }
    if (result.isCanceled) {
      throw new TwinboxError('cancelled', `${command}: cancelled`, { cause: result });
    }
    return {
      command,
      args,
      exitCode: result.exitCode ?? (result.signal ? 128 : 1),
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      timedOut: result.timedOut,
    };
  }

  async spawnDetached(command: string, args: readonly string[], options: DetachedOptions = {}): Promise<number> {
    const logFd = options.logFile ? openSync(options.logFile, 'a', 0o600) : 'ignore';
    try {
      const child = execa(command, args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        // execa passes an integer file descriptor straight to the child; its types only
        // list the standard ones.
        stdio: ['ignore', logFd, logFd] as unknown as ['ignore', 'ignore', 'ignore'],
        reject: false,
        cleanup: false,
      });
      const pid = child.pid;
      if (pid === undefined) {
        const result = await child;
        throw notFound(command, result);
      }
      // The child must outlive us: stop tracking it so Node can exit.
      child.catch(() => undefined);
      child.unref();
      return pid;
    } finally {
      if (typeof logFd === 'number') closeSync(logFd);
    }
  }

  spawnLongLived(command: string, args: readonly string[], options: RunOptions = {}): LongLivedProcess {
    const child = execa(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      cancelSignal: options.signal,
    });
    return {
      pid: child.pid,
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      exited: child.then((r) => r.exitCode ?? null, () => null),
      kill: (signal) => {
        child.kill(signal);
      },
    };
  }

  async which(command: string): Promise<string | undefined> {
    const candidates = isAbsolute(command)
      ? [command]
      : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
    for (const candidate of candidates) {
      try {
        await access(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
    return undefined;
  }
}
