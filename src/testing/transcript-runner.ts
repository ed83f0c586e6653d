import { PassThrough, Writable } from 'node:stream';
import {
  TwinboxError,
  type CommandResult,
  type CommandRunner,
  type DetachedOptions,
  type LongLivedProcess,
  type RunOptions,
} from '../plugin-api/index.js';

/** One `run()` call: the exact argv expected and the recorded answer. */
export interface RunStep {
  argv: readonly string[];
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** Variables that must be present in `RunOptions.env` with these values. */
  env?: Readonly<Record<string, string>>;
  timedOut?: boolean;
  /** The program is missing: `run()` throws `command-not-found`. */
  notFound?: boolean;
  /** What the real command would have left behind (an output file…). */
  effect?: () => void | Promise<void>;
  /** Shown in mismatch reports. */
  note?: string;
}

/** One `spawnLongLived()` call; the process then answers `ShellStep`s. */
export interface SpawnStep {
  spawn: readonly string[];
  /** `spawnLongLived()` throws `command-not-found`. */
  notFound?: boolean;
  note?: string;
}

export type ScriptMatcher = string | RegExp | ((line: string) => boolean);

/**
 * One command line written to the long-lived shell's stdin (anything that is not an echo).
 * A string matcher must occur in the line verbatim: the plugin's framing around a script
 * may change without every transcript changing, but the script text itself may not.
 */
export interface ShellStep {
  shell: ScriptMatcher;
  /** Written to the shell's stdout as the command's output. */
  stdout?: string;
  stderr?: string;
  /** The command never finishes: the shell stays busy until it is killed. */
  hang?: boolean;
  /** The shell exits with this code after the output. */
  exit?: number;
  /** What the real command would have done (a VM powered on…), before its output is written. */
  effect?: () => void | Promise<void>;
  note?: string;
}

/** One `spawnDetached()` call. */
export interface DetachedStep {
  detached: readonly string[];
  pid: number;
  note?: string;
}

export type TranscriptStep = RunStep | SpawnStep | ShellStep | DetachedStep;

export interface TranscriptRunnerOptions {
  /** What `which()` answers; names not listed are not found. */
  which?: Readonly<Record<string, string | undefined>>;
  /** Splits the shell's output into chunks of this many characters, to exercise reassembly. */
  shellChunkSize?: number;
  /** Line ending of the simulated shell's echo output (PowerShell on Windows writes CRLF). */
  shellNewline?: string;
}

/** What the plugin under test did, in order. */
export interface RecordedCall {
  kind: 'run' | 'spawn' | 'shell' | 'detached' | 'which';
  argv: readonly string[];
}

export class TranscriptMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranscriptMismatchError';
  }
}

function isRun(step: TranscriptStep): step is RunStep {
  return 'argv' in step;
}
function isSpawn(step: TranscriptStep): step is SpawnStep {
  return 'spawn' in step;
}
function isShell(step: TranscriptStep): step is ShellStep {
  return 'shell' in step;
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(arg) ? arg : JSON.stringify(arg);
}

export function formatArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

function describeStep(step: TranscriptStep | undefined): string {
  if (!step) return '(nothing: the transcript has ended)';
  const note = step.note ? `  [${step.note}]` : '';
  if (isRun(step)) return `run   ${formatArgv(step.argv)}${note}`;
  if (isSpawn(step)) return `spawn ${formatArgv(step.spawn)}${note}`;
  if (isShell(step)) {
    const matcher = typeof step.shell === 'function' ? '(predicate)' : step.shell instanceof RegExp ? String(step.shell) : JSON.stringify(step.shell);
    return `shell ${matcher}${note}`;
  }
  return `detached ${formatArgv(step.detached)}${note}`;
}

function argvDifference(expected: readonly string[], actual: readonly string[]): string {
  const length = Math.max(expected.length, actual.length);
  for (let index = 0; index < length; index++) {
    if (expected[index] !== actual[index]) {
      const want = index < expected.length ? JSON.stringify(expected[index]) : '(end)';
      const got = index < actual.length ? JSON.stringify(actual[index]) : '(end)';
      return `first difference at argv[${index}]: expected ${want}, got ${got}`;
    }
  }
  return 'argv equal';
}

function matches(matcher: ScriptMatcher, line: string): boolean {
  if (typeof matcher === 'string') return line.includes(matcher);
  if (matcher instanceof RegExp) return matcher.test(line);
  return matcher(line);
}

// What a shell does with `Write-Output 'text'` or `echo 'text'`: prints the text. Markers are
// answered this way without transcript steps, like a real shell would.
const ECHO_LINE = /^\s*(?:Write-Output|echo)\s+'((?:[^']|'')*)'\s*;?\s*$/;

/**
 * A `CommandRunner` that replays a transcript: every process the code under test starts must
 * be the next expected step, with the same argv; the recorded output comes back. A long-lived
 * process is a scripted shell: lines written to its stdin are echoes (answered at once),
 * `exit` (it ends) or commands (answered from the next `ShellStep`). The first divergence is
 * kept and reported by `assertDone()`, even if the code under test swallowed the error.
 */
export class TranscriptRunner implements CommandRunner {
  readonly calls: RecordedCall[] = [];
  private readonly steps: TranscriptStep[];
  private position = 0;
  private firstMismatch?: TranscriptMismatchError;
  private readonly options: TranscriptRunnerOptions;
  private readonly liveShells = new Set<ScriptedShell>();

  constructor(steps: readonly TranscriptStep[], options: TranscriptRunnerOptions = {}) {
    this.steps = [...steps];
    this.options = options;
  }

  /** Steps not consumed yet. */
  get remaining(): readonly TranscriptStep[] {
    return this.steps.slice(this.position);
  }

  /** Adds steps at the end (a test that learns an id mid-way can extend the script). */
  append(...steps: TranscriptStep[]): void {
    this.steps.push(...steps);
  }

  /** Throws if a call diverged from the transcript or expected steps were never reached. */
  assertDone(): void {
    if (this.firstMismatch) throw this.firstMismatch;
    if (this.position < this.steps.length) {
      const left = this.steps.slice(this.position).map((step, offset) => `  ${this.position + offset + 1}. ${describeStep(step)}`);
      throw new TranscriptMismatchError(
        `transcript not finished: ${this.steps.length - this.position} of ${this.steps.length} steps never happened:\n${left.join('\n')}\n${this.history()}`,
      );
    }
  }

  /** Kills every scripted shell still running (tests call it in teardown). */
  closeShells(): void {
    for (const shell of this.liveShells) shell.kill();
  }

  private history(): string {
    const recent = this.calls.slice(-8).map((call) => `  ${call.kind} ${formatArgv(call.argv)}`);
    return recent.length > 0 ? `last calls:\n${recent.join('\n')}` : 'no calls were made';
  }

  private mismatch(actual: string, detail?: string): TranscriptMismatchError {
    const expected = this.steps[this.position];
    const where = this.position < this.steps.length ? `transcript step ${this.position + 1} of ${this.steps.length}` : `after the last of ${this.steps.length} transcript steps`;
    const lines = [
      `${where}: unexpected call`,
      `  expected: ${describeStep(expected)}`,
      `  actual:   ${actual}`,
    ];
    if (detail) lines.push(`  ${detail}`);
    lines.push(this.history());
    const error = new TranscriptMismatchError(lines.join('\n'));
    this.firstMismatch ??= error;
    return error;
  }

  private take<T extends TranscriptStep>(guard: (step: TranscriptStep) => step is T, check: (step: T) => string | undefined, actual: string): T {
    const step = this.steps[this.position];
    if (!step || !guard(step)) throw this.mismatch(actual);
    const problem = check(step);
    if (problem) throw this.mismatch(actual, problem);
    this.position++;
    return step;
  }

  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const argv = [command, ...args];
    this.calls.push({ kind: 'run', argv });
    const step = this.take(isRun, (candidate) => {
      const same = candidate.argv.length === argv.length && candidate.argv.every((arg, index) => arg === argv[index]);
      if (!same) return argvDifference(candidate.argv, argv);
      for (const [key, value] of Object.entries(candidate.env ?? {})) {
        if (options.env?.[key] !== value) return `environment ${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(options.env?.[key])}`;
      }
      return undefined;
    }, `run   ${formatArgv(argv)}`);
    if (step.notFound) {
      throw new TwinboxError('command-not-found', `${command}: program not found`, { hint: `install ${command} or put it on PATH` });
    }
    await step.effect?.();
    return {
      command,
      args,
      exitCode: step.exitCode ?? 0,
      stdout: step.stdout ?? '',
      stderr: step.stderr ?? '',
      timedOut: step.timedOut ?? false,
    };
  }

  async spawnDetached(command: string, args: readonly string[], _options?: DetachedOptions): Promise<number> {
    const argv = [command, ...args];
    this.calls.push({ kind: 'detached', argv });
    const step = this.take(
      (candidate): candidate is DetachedStep => 'detached' in candidate,
      (candidate) => (candidate.detached.length === argv.length && candidate.detached.every((arg, index) => arg === argv[index]) ? undefined : argvDifference(candidate.detached, argv)),
      `detached ${formatArgv(argv)}`,
    );
    return step.pid;
  }

  spawnLongLived(command: string, args: readonly string[], _options?: RunOptions): LongLivedProcess {
    const argv = [command, ...args];
    this.calls.push({ kind: 'spawn', argv });
    const step = this.take(
      isSpawn,
      (candidate) => (candidate.spawn.length === argv.length && candidate.spawn.every((arg, index) => arg === argv[index]) ? undefined : argvDifference(candidate.spawn, argv)),
      `spawn ${formatArgv(argv)}`,
    );
    if (step.notFound) {
      throw new TwinboxError('command-not-found', `${command}: program not found`, { hint: `install ${command} or put it on PATH` });
    }
    const shell = new ScriptedShell(this, this.options);
    this.liveShells.add(shell);
    void shell.exited.then(() => this.liveShells.delete(shell));
    return shell;
  }

  async which(command: string): Promise<string | undefined> {
    this.calls.push({ kind: 'which', argv: [command] });
    return this.options.which?.[command];
  }

  /** @internal The scripted shell asks for the step answering one command line. */
  nextShellStep(line: string): ShellStep | TranscriptMismatchError {
    this.calls.push({ kind: 'shell', argv: [line] });
    const shown = `shell ${JSON.stringify(line.length > 400 ? `${line.slice(0, 400)}…` : line)}`;
    try {
      return this.take(isShell, (candidate) => (matches(candidate.shell, line) ? undefined : 'the command line does not contain the expected script'), shown);
    } catch (error) {
      return error as TranscriptMismatchError;
    }
  }
}

/** A shell process driven by the transcript: see `TranscriptRunner`. */
class ScriptedShell implements LongLivedProcess {
  readonly pid = 4242;
  readonly stdin: Writable;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly exited: Promise<number | null>;
  private resolveExit!: (code: number | null) => void;
  private pendingText = '';
  private readonly queue: string[] = [];
  private busy = false;
  private ended = false;
  private inputEnded = false;

  constructor(
    private readonly runner: TranscriptRunner,
    private readonly options: TranscriptRunnerOptions,
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    this.stdin = new Writable({
      write: (chunk: Buffer | string, _encoding, callback) => {
        this.accept(chunk.toString());
        callback();
      },
      final: (callback) => {
        // A shell reading commands from stdin exits at end of input, after its last command.
        this.inputEnded = true;
        this.drain();
        callback();
      },
    });
  }

  kill(): void {
    this.finish(null);
  }

  private finish(code: number | null): void {
    if (this.ended) return;
    this.ended = true;
    this.stdout.end();
    this.stderr.end();
    this.resolveExit(code);
  }

  private accept(text: string): void {
    this.pendingText += text;
    let newline = this.pendingText.indexOf('\n');
    while (newline >= 0) {
      const line = this.pendingText.slice(0, newline).replace(/\r$/, '');
      this.pendingText = this.pendingText.slice(newline + 1);
      if (line.trim() !== '') this.queue.push(line);
      newline = this.pendingText.indexOf('\n');
    }
    this.drain();
  }

  private write(text: string): void {
    if (this.ended || text === '') return;
    const size = this.options.shellChunkSize ?? 0;
    if (size <= 0) {
      this.stdout.write(text);
      return;
    }
    for (let offset = 0; offset < text.length; offset += size) this.stdout.write(text.slice(offset, offset + size));
  }

  private drain(): void {
    if (this.busy || this.ended) return;
    const line = this.queue.shift();
    if (line === undefined) {
      if (this.inputEnded) this.finish(0);
      return;
    }
    this.busy = true;
    // Answer asynchronously, as a real process would.
    setImmediate(() => {
      if (this.ended) return;
      if (/^\s*exit\s*$/i.test(line)) {
        this.finish(0);
        return;
      }
      const echo = ECHO_LINE.exec(line);
      if (echo) {
        this.write(`${echo[1]!.replace(/''/g, "'")}${this.options.shellNewline ?? '\r\n'}`);
        this.busy = false;
        this.drain();
        return;
      }
      const step = this.runner.nextShellStep(line);
      if (step instanceof TranscriptMismatchError) {
        // Like a shell dying on a script it cannot run: the reader sees the reason on stderr.
        this.stderr.write(`${step.message}\n`);
        this.finish(1);
        return;
      }
      if (step.effect) {
        void Promise.resolve(step.effect()).then(
          () => this.answer(step),
          (error: unknown) => {
            this.stderr.write(`the transcript step's effect failed: ${String(error)}\n`);
            this.finish(1);
          },
        );
        return;
      }
      this.answer(step);
    });
  }

  private answer(step: ShellStep): void {
    if (this.ended) return;
    this.write(step.stdout ?? '');
    if (step.stderr) this.stderr.write(step.stderr);
    if (step.hang) return;
    if (step.exit !== undefined) {
      this.finish(step.exit);
      return;
    }
    this.busy = false;
    this.drain();
  }
}
