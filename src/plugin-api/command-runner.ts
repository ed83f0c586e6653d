import type { Readable, Writable } from 'node:stream';

export interface RunOptions {
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string | undefined>;
  /** Bytes or text fed to standard input. */
  input?: string | Uint8Array;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CommandResult {
  command: string;
  args: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface DetachedOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** File that receives the process's stdout and stderr (its console log). */
  logFile?: string;
  /**
   * Written to the process's standard input, which is then closed: how a secret reaches a
   * program without appearing in its argv (which `ps` shows) or a file. Without it stdin is /dev/null.
   */
  input?: string;
  /** Called with the exit code (null after a signal) if the process ends while this process still runs. */
  onExit?: (exitCode: number | null) => void;
}

export interface LongLivedProcess {
  readonly pid: number | undefined;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Every external process twinbox or a plugin starts goes through this one boundary (built on
 * execa, always with argument arrays, never a shell), so tests can script it: expected argv
 * in, recorded stdout/stderr/exit code out.
 */
export interface CommandRunner {
  /** Runs to completion. A non-zero exit is a result, not an exception; a missing program throws `command-not-found`. */
  run(command: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Starts a process that outlives twinbox (a daemonized VM); returns its pid. */
  spawnDetached(command: string, args: readonly string[], options?: DetachedOptions): Promise<number>;
  /** Starts a process twinbox talks to over its standard streams (a PowerShell host). */
  spawnLongLived(command: string, args: readonly string[], options?: RunOptions): LongLivedProcess;
  /** Full path of a program on PATH, or undefined. Runs nothing. */
  which(command: string): Promise<string | undefined>;
}
