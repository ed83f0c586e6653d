import { isTwinboxError } from '../plugin-api/errors.js';
import { COMMANDS } from './command-list.js';
import { escapeControls, jsonLine } from './format.js';
import { UsageError } from './usage-error.js';
import { stateWriteError } from '../core/state-errors.js';

/** Where a group of the caller is only in a directory (LDAP, SSSD), names it before any access decision. */
async function nameDirectoryGroups(): Promise<void> {
  const [{ resolveCallerGroups }, { ExecaCommandRunner }] = await Promise.all([import('../core/system/caller.js'), import('../core/process/execa-runner.js')]);
  await resolveCallerGroups(new ExecaCommandRunner());
}

/** The arguments twinbox reads: those before `--` (what follows is the app's, as in `run WS APP -- ARGS`). */
export function ownArgs(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end === -1 ? args : args.slice(0, end);
}

export interface Failure {
  /** A stable code: a TwinboxError's, `usage` for usage errors, `internal-error`. */
  code: string;
  message: string;
  hint?: string;
  exitCode: number;
}

/**
 * The one place an error reaches the user: a line naming the problem and a `hint:` line on
 * standard error, or under --json `{"error": {code, message, hint, exitCode}}` on standard
 * output (where a script reading the JSON looks). Control characters in the text (a name
 * typed with ESC, BEL or a newline in it) are shown escaped, never sent to the terminal.
 */
export function printFailure(failure: Failure, json: boolean, prefix = 'twinbox'): number {
  const { code, message, hint, exitCode } = failure;
  if (json) {
    process.stdout.write(jsonLine({ error: { code, message, hint, exitCode } }));
  } else {
    process.stderr.write(`${prefix}: ${escapeControls(message)}\n${hint ? `hint: ${escapeControls(hint)}\n` : ''}`);
  }
  return exitCode;
}

/** A usage error (exit 2): unknown command or option, missing or extra arguments. */
export function printUsageError(message: string, hint: string, json: boolean, prefix = 'twinbox'): number {
  return printFailure({ code: 'usage', message, hint, exitCode: 2 }, json, prefix);
}

/**
 * A reader that went away (`twinbox apps | head -1`, `status --json | true`) ends twinbox
 * quietly with exit 0 (a failure: its own code) instead of an EPIPE stack trace, at once, as SIGPIPE ends other tools:
 * nothing more could be shown. Later writes go nowhere; exit handlers still run. (Every
 * change twinbox makes is journaled or written atomically, so it is as safe as after a kill.)
 */
export function endQuietlyOnClosedPipe(): void {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    if (closed) return;
    closed = true;
    for (const stream of [process.stdout, process.stderr]) {
      stream.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
        const done = typeof encoding === 'function' ? encoding : callback;
        if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
        return true;
      }) as typeof stream.write;
    }
    // 0, or the failure's own code when it was already known (its message could not be shown).
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}

/** Runs one command and turns any error into one line, a hint and the documented exit code. */
export async function runCommand(name: string, args: string[]): Promise<number> {
  const own = ownArgs(args);
  const debug = own.includes('--debug');
  const json = own.includes('--json');
  const commandArgs = [...own.filter((arg) => arg !== '--debug'), ...args.slice(own.length)];
  const entry = COMMANDS[name]!;
  if (own.includes('--help') || own.includes('-h')) {
    process.stdout.write(`${entry.help}\n`);
    return 0;
  }
  try {
    const command = await entry.load();
    await nameDirectoryGroups();
    return await command.run(commandArgs, { stdout: process.stdout, stderr: process.stderr, env: process.env });
  } catch (error) {
    if (debug) process.stderr.write(`${String((error as Error)?.stack ?? error).split('\n').map(escapeControls).join('\n')}\n`);
    if (error instanceof UsageError) return printUsageError(error.message, `run \`twinbox ${name} --help\``, json, `twinbox ${name}`);
    const failure = isTwinboxError(error) ? error : (stateWriteError(error, process.env) ?? error);
    const known = isTwinboxError(failure);
    return printFailure(
      {
        code: known ? failure.code : 'internal-error',
        message: known ? failure.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`,
        hint: known ? failure.hint : 'run again with --debug and report the stack trace',
        exitCode: known ? failure.exitCode : 1,
      },
      json,
    );
  }
}
