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

  constructor(private readonly size: () => { columns: number; rows: number }) {
    const { columns, rows } = size();
    this.model = new FrameModel(columns, rows);
  }

  /** The terminal changed size: what it shows is no longer known, the next frame is drawn whole. */
  resized(): void {
    const { columns, rows } = this.size();
    this.model.resize(columns, rows);
    this.shown = undefined;
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
    return step.before + clear + update.output + this.settleCursor(rows) + step.after;
  }

  /**
   * Something else wrote to the terminal (a warning on stderr): what it shows, and where its
   * cursor is, are no longer known. The next frame clears the screen and is drawn whole.
   */
  lost(): void {
    if (this.fallbackReason !== undefined) return;
    this.shown = undefined;
    this.cursor = undefined;
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
  /**
   * Standard error as Ink sees it. On a terminal, what is written there (console.error, Node's
   * warnings, which Ink prints between erasing its frame and drawing it again) lands on the
   * screen the writer tracks: after it the writer draws the next frame whole.
   */
  errors: NodeJS.WriteStream;
  writer: ScreenWriter;
  /** Stops following the terminal's resizes. */
  dispose(): void;
}

/**
 * A full-screen app's terminal, as Ink sees it: writes go through a `ScreenWriter`. One per
 * app: the screen it tracks starts unknown, and its first frame clears it.
 */
export function screenOutput(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream = process.stderr): ScreenOutput {
  const writer = new ScreenWriter(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }));
  // Registered before Ink's own listener, so the writer knows of a resize before Ink redraws.
  const onResize = () => writer.resized();
  stdout.on('resize', onResize);
  const errors = stderr.isTTY
    ? translatedStream(stderr, (text) => {
        writer.lost();
        return text;
      })
    : stderr;
  return { stream: translatedStream(stdout, (text) => writer.translate(text)), errors, writer, dispose: () => stdout.off('resize', onResize) };
}
