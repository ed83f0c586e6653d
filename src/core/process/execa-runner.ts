import { openSync, closeSync, constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { PassThrough } from 'node:stream';
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

// execa is loaded on first use: commands that only read state never pay for it.
const loadExeca = async () => (await import('execa')).execa;

/** The real process boundary: execa, argument arrays, never a shell. */
export class ExecaCommandRunner implements CommandRunner {
  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const execa = await loadExeca();
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
    const execa = await loadExeca();
    const logFd = options.logFile ? openSync(options.logFile, 'a', 0o600) : 'ignore';
    try {
      const child = execa(command, args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        // execa passes an integer file descriptor straight to the child; its types only
        // list the standard ones.
        stdio: [options.input === undefined ? 'ignore' : 'pipe', logFd, logFd] as unknown as ['pipe', 'ignore', 'ignore'],
        reject: false,
        cleanup: false,
      });
      const pid = child.pid;
      if (pid === undefined) {
        const result = await child;
        throw notFound(command, result);
      }
      if (options.input !== undefined && child.stdin) {
        // A program that exits without reading its input must not fail us with EPIPE.
        child.stdin.on('error', () => undefined);
        child.stdin.end(options.input);
      }
      // The child must outlive us: stop tracking it so Node can exit.
      child.then((result) => options.onExit?.(result.exitCode ?? null), () => options.onExit?.(null));
      child.unref();
      return pid;
    } finally {
      if (typeof logFd === 'number') closeSync(logFd);
    }
  }

  spawnLongLived(command: string, args: readonly string[], options: RunOptions = {}): LongLivedProcess {
    // The streams exist at once; they are connected to the child when execa has loaded.
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let pid: number | undefined;
    let pendingSignal: NodeJS.Signals | undefined;
    let killChild: ((signal?: NodeJS.Signals) => void) | undefined;
    const exited = loadExeca().then(async (execa) => {
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
      pid = child.pid;
      killChild = (signal) => child.kill(signal);
      if (pendingSignal) child.kill(pendingSignal);
      stdin.pipe(child.stdin);
      child.stdout.pipe(stdout);
      child.stderr.pipe(stderr);
      const result = await child;
      if ((result as { code?: string }).code === 'ENOENT') stderr.write(`${command}: program not found\n`);
      return result.exitCode ?? null;
    });
    return {
      get pid() {
        return pid;
      },
      stdin,
      stdout,
      stderr,
      exited: exited.catch(() => null),
      kill: (signal = 'SIGTERM') => {
        if (killChild) killChild(signal);
        else pendingSignal = signal;
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
