import { PassThrough } from 'node:stream';
import type { CommandResult, CommandRunner, DetachedOptions, LongLivedProcess, RunOptions } from 'twinbox/plugin-api';

export interface ScriptedAnswer {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
}

/**
 * A CommandRunner that answers from a table keyed by "program arg arg…" and records every
 * call, so a test can assert what was (or was not) spawned.
 */
export class ScriptedRunner implements CommandRunner {
  readonly calls: string[] = [];

  constructor(
    private readonly answers: Record<string, ScriptedAnswer> = {},
    private readonly programs: Record<string, string | undefined> = {},
  ) {}

  async run(command: string, args: readonly string[], _options?: RunOptions): Promise<CommandResult> {
    const line = [command, ...args].join(' ');
    this.calls.push(line);
    const answer = this.answers[line];
    if (!answer) throw new Error(`unexpected command: ${line}`);
    return { command, args, exitCode: answer.exitCode ?? 0, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', timedOut: false };
  }

  async spawnDetached(command: string, args: readonly string[], _options?: DetachedOptions): Promise<number> {
    throw new Error(`unexpected detached spawn: ${[command, ...args].join(' ')}`);
  }

  spawnLongLived(command: string, args: readonly string[]): LongLivedProcess {
    this.calls.push([command, ...args].join(' '));
    const stream = new PassThrough();
    return { pid: undefined, stdin: stream, stdout: new PassThrough(), stderr: new PassThrough(), exited: Promise.resolve(1), kill: () => undefined };
  }

  async which(command: string): Promise<string | undefined> {
    return this.programs[command];
  }
}
