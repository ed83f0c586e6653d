import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import xtermHeadless from '@xterm/headless';
import { spawn, type IPty } from 'node-pty';
import type { ExecutionContext } from 'ava';
import { formatGrid, parseGrid, sameGrid, sideBySide, type ScreenGrid } from './screen-grid.js';

const { Terminal } = xtermHeadless;

/** Where golden screens live: the source tree's test/golden (tests run from build/test). */
export const GOLDEN_DIR = fileURLToPath(new URL('../../../../test/golden/', import.meta.url));

/** `TWINBOX_UPDATE_GOLDENS=1` (what `npm run goldens` sets): steps write the screen they see instead of comparing it. */
export const updatingGoldens = (): boolean => process.env.TWINBOX_UPDATE_GOLDENS === '1';

/** Keys by name, as a terminal sends them. */
export const KEYS: Record<string, string> = {
  Enter: '\r',
  Escape: '\u001B',
  Tab: '\t',
  Backspace: '\u007F',
  Space: ' ',
  Up: '\u001B[A',
  Down: '\u001B[B',
  Right: '\u001B[C',
  Left: '\u001B[D',
  'C-c': '\u0003',
  'C-d': '\u0004',
  'C-u': '\u0015',
  'C-]': '\u001D',
};

export interface PtyScreenOptions {
  columns: number;
  rows: number;
  /** The program's whole environment; CI is removed (Ink draws nothing under CI=true). */
  env: NodeJS.ProcessEnv;
  /** Journey name: goldens are read from test/golden/<journey>/<columns>x<rows>/<step>.txt. */
  journey: string;
  /** Parts of the screen that differ from run to run (times, paths), each replaced by its second element (rows are padded again to the width). */
  masks?: ReadonlyArray<readonly [RegExp, string]>;
  /** Name of the size folder (default `<columns>x<rows>` of the start size). */
  variant?: string;
  cwd?: string;
}

export interface Exit {
  exitCode: number;
  signal?: number;
}

/**
 * A program in a real pseudo-terminal (node-pty) whose output a real terminal emulator
 * (@xterm/headless) reads: what a person would see, cell by cell. Steps compare the whole
 * screen with a golden file, polling until they match or a timeout passes, then print both
 * grids side by side.
 */
export class PtyScreen {
  readonly terminal: InstanceType<typeof Terminal>;
  private readonly pty: IPty;
  private cursorShown = true;
  private pendingWrites = 0;
  private flushed: Array<() => void> = [];
  /** Every byte the program wrote, in order. */
  output = '';
  readonly exited: Promise<Exit>;
  exit: Exit | undefined;
  private readonly folder: string;

  constructor(
    private readonly t: ExecutionContext,
    argv: readonly string[],
    private readonly options: PtyScreenOptions,
  ) {
    const { CI: _ci, TMUX: _tmux, ...given } = options.env;
    // A variable set to undefined is unset (node-pty would pass the word "undefined").
    const env = Object.fromEntries(Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== undefined));
    this.terminal = new Terminal({ cols: options.columns, rows: options.rows, allowProposedApi: true, scrollback: 0 });
    // DECTCEM (cursor shown or hidden) is not in the emulator's public state: follow it here.
    this.terminal.parser.registerCsiHandler({ prefix: '?', final: 'h' }, (params) => {
      if (params.includes(25)) this.cursorShown = true;
      return false;
    });
    this.terminal.parser.registerCsiHandler({ prefix: '?', final: 'l' }, (params) => {
      if (params.includes(25)) this.cursorShown = false;
      return false;
    });
    // A full reset (RIS) shows the cursor again.
    this.terminal.parser.registerEscHandler({ final: 'c' }, () => {
      this.cursorShown = true;
      return false;
    });
    this.pty = spawn(argv[0]!, argv.slice(1), {
      name: env.TERM ?? 'xterm-256color',
      cols: options.columns,
      rows: options.rows,
      cwd: options.cwd ?? process.cwd(),
      env,
      encoding: null,
    });
    this.folder = join(GOLDEN_DIR, options.journey, options.variant ?? `${options.columns}x${options.rows}`);
    this.pty.onData((data: string | Buffer) => {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      this.output += bytes.toString('latin1');
      this.pendingWrites++;
      this.terminal.write(bytes, () => {
        this.pendingWrites--;
        if (this.pendingWrites === 0) for (const done of this.flushed.splice(0)) done();
      });
    });
    this.exited = new Promise((resolve) => {
      this.pty.onExit(({ exitCode, signal }) => {
        this.exit = { exitCode, ...(signal ? { signal } : {}) };
        resolve(this.exit);
      });
    });
    t.teardown(() => {
      if (!this.exit) {
        try {
          this.pty.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
      this.terminal.dispose();
    });
  }

  get pid(): number {
    return this.pty.pid;
  }

  /** Waits until the emulator has read everything the program wrote so far. */
  flush(): Promise<void> {
    if (this.pendingWrites === 0) return Promise.resolve();
    return new Promise((resolve) => this.flushed.push(resolve));
  }

  /** Keys by name (`Enter`, `Up`, `C-c`, see KEYS) or, for anything else, the text itself. */
  send(...keys: string[]): void {
    for (const key of keys) this.pty.write(KEYS[key] ?? key);
  }

  /** Text typed one key at a time, as a person types it. */
  async type(text: string): Promise<void> {
    for (const key of text) {
      this.pty.write(key);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  /** A bracketed paste: the terminal wraps what was pasted in ESC [200~ … ESC [201~, in one write. */
  paste(text: string): void {
    this.pty.write(`\u001B[200~${text}\u001B[201~`);
  }

  resize(columns: number, rows: number): void {
    this.pty.resize(columns, rows);
    this.terminal.resize(columns, rows);
  }

  kill(signal: NodeJS.Signals): void {
    process.kill(this.pty.pid, signal);
  }

  /** The screen as it is now. */
  grid(): ScreenGrid {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.terminal.rows; row++) {
      const line = buffer.getLine(buffer.viewportY + row)?.translateToString(false, 0, this.terminal.cols) ?? '';
      // Trailing blanks are the row's own again after a mask changed the width before them.
      lines.push(this.mask(line.trimEnd()).padEnd(this.terminal.cols));
    }
    return {
      columns: this.terminal.cols,
      rows: this.terminal.rows,
      cursor: { column: buffer.cursorX, row: buffer.cursorY },
      cursorShown: this.cursorShown,
      buffer: buffer.type,
      lines,
    };
  }

  /** The screen's text, rows joined by newlines and trailing blanks trimmed (for waiting on a word). */
  text(): string {
    return this.grid()
      .lines.map((line) => line.trimEnd())
      .join('\n');
  }

  private mask(line: string): string {
    let out = line;
    for (const [pattern, replacement] of this.options.masks ?? []) {
      out = out.replace(pattern, replacement);
    }
    return out;
  }

  /** Polls until the screen's text shows `expected`; fails with the last screen. */
  async waitFor(expected: string | RegExp | ((text: string) => boolean), timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.flush();
      const text = this.text();
      if (typeof expected === 'string' ? text.includes(expected) : typeof expected === 'function' ? expected(text) : expected.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${String(expected)} within ${timeoutMs / 1000} s; it showed:\n${formatGrid(this.grid())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * One step of a journey: the whole screen must equal test/golden/<journey>/<size>/<name>.txt.
   * Polls until it does (the program may still be drawing) or `timeoutMs` passes, then fails
   * with both grids side by side. With TWINBOX_UPDATE_GOLDENS=1 it waits for `ready` (text the
   * screen must show) and for the screen to stay the same for a moment, and writes the file.
   */
  async step(name: string, ready: string | RegExp | ((text: string) => boolean), timeoutMs = 20_000): Promise<ScreenGrid> {
    const file = join(this.folder, `${name}.txt`);
    const shown = relative(join(GOLDEN_DIR, '..', '..'), file);
    if (updatingGoldens()) {
      await this.waitFor(ready, timeoutMs);
      const grid = await this.settled();
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, formatGrid(grid));
      this.t.log(`wrote ${shown}`);
      return grid;
    }
    if (!existsSync(file)) throw new Error(`no golden screen ${shown}: write it with \`npm run goldens\``);
    const expected = parseGrid(readFileSync(file, 'utf8'), shown);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.flush();
      const actual = this.grid();
      if (sameGrid(expected, actual)) {
        this.t.pass();
        return actual;
      }
      if (Date.now() > deadline) {
        this.t.fail(`screen "${name}" differs from ${shown} after ${timeoutMs / 1000} s (update goldens with \`npm run goldens\` if the change is meant):\n${sideBySide(expected, actual)}`);
        throw new Error(`screen "${name}" differs from ${shown}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The screen once it has not changed for 400 ms (used only when writing goldens). */
  private async settled(): Promise<ScreenGrid> {
    let last = '';
    let since = Date.now();
    for (;;) {
      await this.flush();
      const grid = this.grid();
      const now = formatGrid(grid);
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since >= 400) return grid;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits for the program to end; fails with the screen after the timeout. */
  async waitForExit(timeoutMs = 30_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the program did not exit within ${timeoutMs / 1000} s; the screen showed:\n${formatGrid(this.grid())}`)), timeoutMs);
    });
    try {
      const exit = await Promise.race([this.exited, timeout]);
      await this.flush();
      return exit;
    } finally {
      clearTimeout(timer);
    }
  }
}
