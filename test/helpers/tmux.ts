import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

  constructor(t: ExecutionContext, argv: readonly string[], options: TmuxOptions) {
    const { CI: _ci, TMUX: _tmux, ...env } = options.env;
    this.env = env;
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24), ...argv);
    // Keep the pane after the program exits so a test can read its last screen and exit status.
    this.tmux('set-option', '-t', this.name, 'remain-on-exit', 'on');
    t.teardown(() => this.kill());
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

  /** The program's exit status once it has ended, else undefined. */
  exitStatus(): number | undefined {
    const [dead, status, signal] = this.tmux('display-message', '-p', '-t', this.name, '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}').trim().split(':');
    if (dead !== '1') return undefined;
    // Killed by a signal: 128 + its number, as shells report it. Neither yet: tmux has not
    // recorded how the program ended, so it is not over as far as a test can tell.
    if (signal) return 128 + Number(signal);
    return status ? Number(status) : undefined;
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
