/**
 * The terminal as a full-screen Ink app sees it, writing only what changed on the screen.
 * Ink's incremental renderer rewrites every line that changed, whole; when a keystroke
 * re-filters a list most lines change, though many only move up or down. Here each of Ink's
 * writes is read into the frame Ink means to show (`FrameModel`) and the terminal is brought
 * from what it shows to that frame by `screenUpdate`: moved lines moved, changed cells
 * rewritten.
 *
 * Should Ink ever write what the model cannot follow, the writer says so once (in
 * `fallbackReason`) and from then on passes Ink's writes through as `compactOutput` does,
 * after putting the cursor where Ink believes it is: the screen stays right, only larger.
 *
 * Why it is kept beside Ink's renderers, measured by `npm run bench -- --only=menu` (the real
 * menu screen, the same keys, 80x24): filtering 40 apps, 230 B per keystroke here against
 * 652 B from Ink's standard renderer (0.35x), and 298 B against 766 B with 120 apps. Ink's
 * incremental renderer writes 374 B and 468 B but leaves stale rows behind (the whole-screen
 * tests in test/e2e/*-screen.test.ts showed them), so it is not an option.
 */

import { compactCursorMoves, translatedStream } from './compact-output.js';
import { FrameModel, UnsupportedOutput } from './frame-model.js';
import { cursorMove, screenUpdate, type Cursor } from './screen-update.js';

export class ScreenWriter {
  private model: FrameModel;
  /** What the terminal shows, a line per row; undefined until the first frame (or after a resize): unknown. */
  private shown: string[] | undefined;
  private cursor: Cursor | undefined;
  /** Why the writer passes writes through, once it does. */
  fallbackReason: string | undefined;
  /** Written over by something else since the last frame (`lost`). */
  private overwritten = false;

  constructor(private readonly size: () => { columns: number; rows: number }) {
    const { columns, rows } = size();
    this.model = new FrameModel(columns, rows);
  }

  /** The terminal changed size: what it shows is no longer known, the next frame is drawn whole. */
  resized(): void {
    const { columns, rows } = this.size();
    this.model.resize(columns, rows);
    this.shown = undefined;
    this.overwritten = false;
  }

  /** What to send the terminal for one of Ink's writes. */
  translate(output: string): string {
    if (this.fallbackReason !== undefined) return compactCursorMoves(output);
    // Ink reads the size when it draws, which may be before the terminal's resize event is heard.
    const { columns, rows } = this.size();
    if (columns !== this.model.columns || rows !== this.model.rows) this.resized();
    const before = this.model.clone();
    let step;
    try {
      step = this.model.apply(output);
    } catch (error) {
      if (!(error instanceof UnsupportedOutput)) throw error;
      this.model = before;
      this.fallbackReason = error.message;
      // Ink's next writes move the cursor from where Ink left it.
      const place = Number.isNaN(before.column) ? '' : cursorMove(this.cursor, before.row, before.column);
      return place + compactCursorMoves(output);
    }
    if (!step.changed && this.shown) return step.before + step.after;
    return step.before + this.draw(columns, rows) + step.after;
  }

  /** The update from what the terminal shows to the model's lines; the whole screen when that is unknown. */
  private draw(columns: number, rows: number): string {
    this.overwritten = false;
    let shown = this.shown;
    let clear = '';
    if (!shown) {
      clear = '\u001B[H\u001B[2J';
      shown = this.model.lines.map(() => '');
      this.cursor = { row: 0, column: 0 };
    }
    const update = screenUpdate(shown, this.model.lines, this.cursor, columns);
    this.shown = [...this.model.lines];
    this.cursor = update.cursor;
    return clear + update.output + this.settleCursor(rows);
  }

  /**
   * Something else wrote to the terminal (a warning on stderr): what it shows, and where its
   * cursor is, are no longer known. The next frame clears the screen and is drawn whole.
   */
  lost(): void {
    if (this.fallbackReason !== undefined) return;
    this.shown = undefined;
    this.cursor = undefined;
    this.overwritten = true;
  }

  /**
   * After `lost`, the last frame drawn whole again — unless a frame was drawn since (Ink draws
   * its frame again right after what it writes on stderr itself) or the size changed (Ink
   * draws the new size's): then nothing.
   */
  redraw(): string {
    if (!this.overwritten) return '';
    const { columns, rows } = this.size();
    if (columns !== this.model.columns || rows !== this.model.rows) return '';
    return this.draw(columns, rows);
  }

  /**
   * A frame that ends in the last column of the bottom row leaves the terminal waiting to wrap
   * there: the next character written — by the next frame drawn from a guessed place, or by
   * anything else that writes to the terminal — would scroll the whole screen up a row. A
   * carriage return ends that wait (and tells the column).
   */
  private settleCursor(rows: number): string {
    const cursor = this.cursor;
    if (!cursor || cursor.row !== rows - 1 || !Number.isNaN(cursor.column)) return '';
    this.cursor = { row: cursor.row, column: 0 };
    return '\r';
  }
}

export interface ScreenOutput {
  stream: NodeJS.WriteStream;
  writer: ScreenWriter;
  /** Stops following the terminal's resizes and standard error's writes. */
  dispose(): void;
}

/**
 * A full-screen app's terminal, as Ink sees it: writes go through a `ScreenWriter`. One per
 * app: the screen it tracks starts unknown, and its first frame clears it.
 *
 * What is written on standard error when it is a terminal too — console.error and Node's
 * warnings, which Ink prints between erasing its frame and drawing it again, or a line written
 * straight to it — lands on the screen the writer tracks, wherever the cursor is: at the bottom
 * row its line feed scrolls the whole screen up. After each such write the writer takes the
 * screen as unknown, and draws the last frame whole again on the next turn of the event loop
 * unless Ink has drawn one by then.
 */
export function screenOutput(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream = process.stderr): ScreenOutput {
  const writer = new ScreenWriter(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }));
  // Registered before Ink's own listener, so the writer knows of a resize before Ink redraws.
  const onResize = () => writer.resized();
  stdout.on('resize', onResize);
  let redrawing = false;
  let disposed = false;
  const redraw = () => {
    redrawing = false;
    // Not once the app is gone: the terminal may show what it showed before it by then.
    const whole = disposed ? '' : writer.redraw();
    if (whole) stdout.write(whole);
  };
  const unwatch = stderr.isTTY
    ? watchWrites(stderr, () => {
        writer.lost();
        if (!redrawing) setImmediate(redraw);
        redrawing = true;
      })
    : () => undefined;
  return {
    stream: translatedStream(stdout, (text) => writer.translate(text)),
    writer,
    dispose: () => {
      disposed = true;
      stdout.off('resize', onResize);
      unwatch();
    },
  };
}

/** Calls `onWrite` before each write to `stream`, until the function returned puts its own `write` back. */
function watchWrites(stream: NodeJS.WriteStream, onWrite: () => void): () => void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  const write = stream.write;
  stream.write = function watched(this: unknown, ...args: unknown[]) {
    onWrite();
    return (write as (...args: unknown[]) => boolean).apply(stream, args);
  } as NodeJS.WriteStream['write'];
  return () => {
    if (own) Object.defineProperty(stream, 'write', own);
    else delete (stream as { write?: unknown }).write;
  };
}
