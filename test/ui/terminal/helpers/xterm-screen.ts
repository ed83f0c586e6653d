import { Writable } from 'node:stream';
import xtermHeadless from '@xterm/headless';

const { Terminal } = xtermHeadless;

const SGR = /\u001B\[[0-9;]*m/g;

/**
 * A real terminal emulator (@xterm/headless) on its alternate screen, as a full-screen app
 * draws on it: bytes in, the whole screen out, row by row.
 */
export class XtermScreen {
  readonly terminal: InstanceType<typeof Terminal>;
  private pending: Promise<void> = Promise.resolve();

  constructor(columns: number, rows: number) {
    this.terminal = new Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 0 });
    this.write('\u001B[?1049h');
  }

  get columns(): number {
    return this.terminal.cols;
  }

  get rows(): number {
    return this.terminal.rows;
  }

  /** Bytes as the program wrote them; the emulator reads them in order (`settled` waits for it). */
  write(data: string): void {
    this.pending = this.pending.then(() => new Promise((resolve) => this.terminal.write(data, resolve)));
  }

  settled(): Promise<void> {
    return this.pending;
  }

  /** The window changed size (the program hears of it later, or never). */
  resize(columns: number, rows: number): void {
    this.terminal.resize(columns, rows);
  }

  /** Every row's text, trailing blanks dropped. */
  lines(): string[] {
    const buffer = this.terminal.buffer.active;
    return Array.from({ length: this.rows }, (_, row) => (buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '').trimEnd());
  }

  cursor(): { row: number; column: number } {
    const buffer = this.terminal.buffer.active;
    return { row: buffer.cursorY, column: buffer.cursorX };
  }

  dispose(): void {
    this.terminal.dispose();
  }
}

/** What `lines` drawn one per row on a blank screen show (text only, cut at the width, the last `rows` of them). */
export function framed(lines: readonly string[], columns: number, rows: number): string[] {
  const shown = lines.slice(Math.max(0, lines.length - rows)).map((line) => [...line.replace(SGR, '')].slice(0, columns).join('').trimEnd());
  while (shown.length < rows) shown.push('');
  return shown;
}

/** Two screens row by row, differing rows marked, for a failure message. */
export function screensDiffer(expected: readonly string[], actual: readonly string[]): string | undefined {
  if (expected.length === actual.length && expected.every((line, row) => line === actual[row])) return undefined;
  const rows = Math.max(expected.length, actual.length);
  return Array.from({ length: rows }, (_, row) => {
    const same = expected[row] === actual[row];
    return `${same ? ' ' : '!'}${String(row).padStart(2)} want |${expected[row] ?? ''}|${same ? '' : `\n    got  |${actual[row] ?? ''}|`}`;
  }).join('\n');
}

/** A terminal's output stream as Ink writes to it (a TTY with a size and resize events), its bytes going to `screen`. */
export class XtermStream extends Writable {
  readonly isTTY = true;

  constructor(
    private readonly screen: XtermScreen,
    public columns = screen.columns,
    public rows = screen.rows,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.screen.write(chunk.toString());
    done();
  }
}
