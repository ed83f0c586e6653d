/**
 * The screen as Ink believes it draws it, line by line: Ink's renderers write whole lines at
 * column 1 (text and SGR, then erase-to-end), move by rows (CUU, CNL, CPL, CHA, CUP, CR, LF)
 * and erase lines or the screen. Anything else — text written in the middle of a line,
 * another escape sequence that moves the cursor — is `unsupported`, and the caller stops
 * modelling.
 */

import { knownWidth, visibleText, widthAtMost } from './text-width.js';

export class UnsupportedOutput extends Error {}

/** Private modes (cursor visibility, synchronized output…) and OSC strings move nothing. */
const PASS_THROUGH = /\u001B\[\?[0-9;]*[hl]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)/y;
const CSI = /\u001B\[([0-9;]*)([A-Za-z])/y;
const TEXT_RUN = /[^\u0000-\u001F\u007F]+/y;

/** The match of a sticky pattern exactly at `at`: no copy of the rest of the write is made for it. */
function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** One write, read: the tokens that pass straight to the terminal, and whether the lines changed. */
export interface ModelStep {
  before: string;
  after: string;
  changed: boolean;
}

export class FrameModel {
  lines: string[];
  row = 0;
  /** NaN once text of uncertain width was written on the row. */
  column = 0;
  /** The line being written: its row and what has been written of it so far. */
  private building: { row: number; content: string; cut?: boolean } | undefined;

  constructor(
    public columns: number,
    public rows: number,
  ) {
    this.lines = Array.from({ length: rows }, () => '');
  }

  clone(): FrameModel {
    const copy = new FrameModel(this.columns, this.rows);
    copy.lines = [...this.lines];
    copy.row = this.row;
    copy.column = this.column;
    return copy;
  }

  resize(columns: number, rows: number): void {
    this.finish();
    this.columns = columns;
    this.rows = rows;
    this.lines = Array.from({ length: rows }, (_, row) => this.lines[row] ?? '');
    this.row = Math.min(this.row, rows - 1);
  }

  /**
   * Reads one write. Private-mode and OSC sequences are collected rather than modelled:
   * those before the first change of the lines in `before`, the rest in `after`.
   */
  apply(output: string): ModelStep {
    const step: ModelStep = { before: '', after: '', changed: false };
    const previous = [...this.lines];
    let at = 0;
    while (at < output.length) {
      const passing = matchAt(PASS_THROUGH, output, at);
      if (passing) {
        if (this.building || this.lines.some((line, row) => line !== previous[row])) step.after += passing[0];
        else step.before += passing[0];
        at += passing[0].length;
        continue;
      }
      const csi = matchAt(CSI, output, at);
      if (csi) {
        this.control(csi[1]!, csi[2]!, csi[0]);
        at += csi[0].length;
        continue;
      }
      const char = output[at]!;
      if (char === '\r') {
        this.finish();
        this.column = 0;
        at++;
        continue;
      }
      if (char === '\n') {
        this.finish();
        this.lineFeed();
        at++;
        continue;
      }
      const text = matchAt(TEXT_RUN, output, at);
      if (!text) throw new UnsupportedOutput(`a control character ${JSON.stringify(char)}`);
      this.content(text[0], true);
      at += text[0].length;
    }
    this.finish();
    step.changed = this.lines.some((line, row) => line !== previous[row]);
    return step;
  }

  private control(parameters: string, final: string, whole: string): void {
    const count = Math.max(1, Number(parameters.split(';')[0] || '1'));
    if (final === 'm') {
      this.content(whole, false);
      return;
    }
    if (final === 'K') {
      const mode = Number(parameters || '0');
      if (mode === 2) {
        this.finish();
        this.lines[this.row] = '';
        return;
      }
      if (mode !== 0) throw new UnsupportedOutput(`erase mode ${mode}`);
      this.eraseToEnd();
      return;
    }
    this.finish();
    switch (final) {
      case 'A':
        return this.moveTo(this.row - count, this.column);
      case 'B':
        return this.moveTo(this.row + count, this.column);
      case 'E':
        return this.moveTo(this.row + count, 0);
      case 'F':
        return this.moveTo(this.row - count, 0);
      case 'G':
        return this.moveTo(this.row, count - 1);
      case 'H': {
        const [row, column] = parameters.split(';');
        return this.moveTo(Number(row || '1') - 1, Number(column || '1') - 1);
      }
      case 'J': {
        const mode = Number(parameters || '0');
        if (mode === 3) return;
        if (mode === 2) {
          this.lines = this.lines.map(() => '');
          return;
        }
        if (mode !== 0) throw new UnsupportedOutput(`erase mode ${mode}`);
        this.eraseToEnd();
        for (let row = this.row + 1; row < this.rows; row++) this.lines[row] = '';
        return;
      }
      default:
        throw new UnsupportedOutput(`the sequence ${JSON.stringify(whole)}`);
    }
  }

  /** Text or SGR at the cursor: a new line at column 1, or more of the line being written. */
  private content(text: string, printable: boolean): void {
    if (!this.building || this.building.row !== this.row) {
      if (this.column === 0) this.building = { row: this.row, content: '' };
      else if (this.column === knownWidth(this.lines[this.row]!)) this.building = { row: this.row, content: this.lines[this.row]! };
      else throw new UnsupportedOutput('text written in the middle of a line');
    }
    if (!printable) {
      this.building.content += text;
      return;
    }
    if (this.building.cut) return;
    const width = knownWidth(text);
    if (width === undefined || Number.isNaN(this.column)) {
      // After text of uncertain width the column is unknown too, and the rest of the line is
      // kept whole (a dialog's right border after its warning sign).
      this.column = Number.NaN;
      const { content } = this.building;
      if ([...visibleText(content)].length + [...text].length <= this.columns) {
        this.building.content += text;
        return;
      }
      // More characters than columns: drawn just after a resize with the widths of before. A
      // terminal would wrap it onto the next line (from the bottom row, scrolling the screen):
      // it is cut where it surely still fits, each character of uncertain width counted two
      // columns wide. The next frame fits.
      let room = this.columns - widthAtMost(content);
      for (const char of text) {
        room -= widthAtMost(char);
        if (room < 0) break;
        this.building.content += char;
      }
      this.building.cut = true;
      return;
    }
    const room = this.columns - this.column;
    if (width <= room) {
      this.building.content += text;
      this.column += width;
      return;
    }
    // Wider than the terminal: drawn just after a resize, with the widths of before. A terminal
    // would wrap it over the next line; it is cut at the edge instead, and the next frame fits.
    this.building.content += [...text].slice(0, room).join('');
    this.building.cut = true;
    this.column = this.columns;
  }

  /** Ends the line being written. Without an erase after it, the old line's tail would show through it. */
  private finish(): void {
    if (!this.building) return;
    const { row, content } = this.building;
    this.building = undefined;
    const old = this.lines[row]!;
    if (old === '' || content.startsWith(old)) {
      this.lines[row] = content;
      return;
    }
    const oldWidth = knownWidth(old);
    const newWidth = knownWidth(content);
    if (oldWidth === undefined || newWidth === undefined || newWidth < oldWidth) throw new UnsupportedOutput('a line written over a longer one without erasing it');
    this.lines[row] = content;
  }

  private eraseToEnd(): void {
    if (this.building) {
      const { row, content } = this.building;
      this.building = undefined;
      this.lines[row] = content;
      return;
    }
    if (this.column === 0) this.lines[this.row] = '';
    else if (this.column !== knownWidth(this.lines[this.row]!)) throw new UnsupportedOutput('an erase in the middle of a line');
  }

  private moveTo(row: number, column: number): void {
    this.row = Math.max(0, Math.min(this.rows - 1, row));
    this.column = Number.isNaN(column) ? column : Math.max(0, Math.min(this.columns - 1, column));
  }

  private lineFeed(): void {
    this.column = 0;
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.lines.shift();
    this.lines.push('');
  }
}
