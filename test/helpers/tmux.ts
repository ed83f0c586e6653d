import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';

/** Why tmux-driven tests cannot run here, or undefined when they can. */
export function tmuxMissing(): string | undefined {
  return existsSync('/usr/bin/tmux') ? undefined : 'tmux is not installed (apt-get install tmux)';
}

export interface TmuxOptions {
  columns?: number;
  rows?: number;
  /** The program's whole environment (CI is removed: Ink prints nothing while it is set). */
  env: NodeJS.ProcessEnv;
}

let sessions = 0;

/**
 * A real terminal for a program under test: its own tmux server (socket) per session, so
 * parallel tests never share one, killed when the test ends.
 */
export class TmuxSession {
  readonly socket = `tbx-${process.pid}-${++sessions}`;
  readonly name = 'ui';
  private readonly env: NodeJS.ProcessEnv;
  /** Where the program's exit status is written when it ends. */
  private readonly statusFile: string;

  constructor(t: ExecutionContext, argv: readonly string[], options: TmuxOptions) {
    const { CI: _ci, TMUX: _tmux, ...env } = options.env;
    this.env = env;
    const dir = mkdtempSync(join(tmpdir(), 'tbx-tmux-'));
    this.statusFile = join(dir, 'status');
    // A shell runs the program and records how it ended: tmux's own record of a pane's exit
    // status (pane_dead_status) is sometimes never filled in when the pane's process is left
    // unreaped, which made tests wait for an exit that had long happened.
    const recorded = ['sh', '-c', '"$@"; echo $? > "$0"', this.statusFile, ...argv];
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24), ...recorded);
    // Keep the pane after the program exits so a test can read its last screen.
    this.tmux('set-option', '-t', this.name, 'remain-on-exit', 'on');
    t.teardown(() => {
      this.kill();
      rmSync(dir, { recursive: true, force: true });
    });
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env: this.env });
  }

  /** Keys as tmux names them (`Enter`, `C-c`, `Escape`, `Up`) or literal text with `literal`. */
  send(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** The screen with its attributes and colours as escape sequences (`capture-pane -e`). */
  styledScreen(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.name);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  /** The program's exit status once it has ended (128 + the signal's number after a signal), else undefined. */
  exitStatus(): number | undefined {
    try {
      const text = readFileSync(this.statusFile, 'utf8');
      // The shell writes the line in one go; an empty file is one still being written.
      return text.endsWith('\n') ? Number(text.trim()) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Polls the screen until `expected` shows; fails with the last screen after the timeout. */
  async waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen();
      if (typeof expected === 'string' ? screen.includes(expected) : typeof expected === 'function' ? expected(screen) : expected.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the screen never showed ${String(expected)} within ${timeoutMs / 1000} s; it showed:\n${screen}`);
  }

  /** Waits for the program to end and returns its exit status. */
  async waitForExit(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = this.exitStatus();
      if (status !== undefined) return status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the program did not exit within ${timeoutMs / 1000} s; the screen showed:\n${this.screen()}`);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone: the server exits with its last session.
    }
  }
}
