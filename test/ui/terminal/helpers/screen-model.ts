/**
 * A terminal screen reduced to what Ink's renderers and twinbox's screen writer send:
 * printable text, CR, LF (a bare line feed unless `newlineReturns`, which models the tty's
 * ONLCR), CUU/CUD/CNL/CPL/CHA/CUP cursor moves, EL and ED erases, IL and DL (insert and
 * delete lines, which also return to column 1, as xterm does), SGR attributes and DEC
 * private modes. Any other sequence throws, so a test never compares screens the model could
 * not draw. Each cell keeps its character and the attributes in force when it was drawn or
 * erased, as a set (two sequences that leave the same attributes on are the same).
 */
export class ScreenModel {
  private cells: string[][];
  private row = 0;
  private column = 0;
  /** A character was drawn in the last column: the next one wraps first (as xterm does). */
  private wrapPending = false;
  private attributes = '';
  private readonly on = new Map<string, string>();
  private readonly modes = new Map<string, boolean>();

  constructor(
    readonly columns: number,
    readonly rows: number,
    private readonly options: { newlineReturns?: boolean } = {},
  ) {
    this.cells = Array.from({ length: rows }, () => this.blankLine());
  }

  /** The cells alone, each as `attributes|character`: what the user sees, wherever the cursor is. */
  cellsSnapshot(): string {
    return this.cells.map((line) => line.join('')).join('\n');
  }

  /** The screen as text, one line per row, each cell as `attributes|character`, plus the cursor and modes. */
  snapshot(): string {
    const modes = [...this.modes].map(([mode, on]) => `${mode}${on ? 'h' : 'l'}`).join(',');
    return `${this.cells.map((line) => line.join('')).join('\n')}\ncursor ${this.row},${this.column}${this.wrapPending ? ' wrap' : ''} attributes ${this.attributes} modes ${modes}`;
  }

  /** The visible characters of each row, trailing blanks dropped. */
  text(): string[] {
    return this.cells.map((line) => line.map((cell) => cell.slice(cell.indexOf('|') + 1)).join('').trimEnd());
  }

  apply(output: string): void {
    for (let at = 0; at < output.length; ) {
      if (output[at] === '\u001B') {
        at = this.escape(output, at);
        continue;
      }
      const printable = String.fromCodePoint(output.codePointAt(at)!);
      if (printable === '\r') this.moveTo(this.row, 0);
      else if (printable === '\n') {
        this.lineFeed();
        if (this.options.newlineReturns) this.column = 0;
      }
      else this.draw(printable);
      at += printable.length;
    }
  }

  private blankLine(): string[] {
    return Array.from({ length: this.columns }, () => `${this.attributes}| `);
  }

  private moveTo(row: number, column: number): void {
    this.row = Math.max(0, Math.min(this.rows - 1, row));
    this.column = Math.max(0, Math.min(this.columns - 1, column));
    this.wrapPending = false;
  }

  private lineFeed(): void {
    this.wrapPending = false;
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.cells.shift();
    this.cells.push(this.blankLine());
  }

  private draw(char: string): void {
    if (this.wrapPending) {
      this.column = 0;
      this.lineFeed();
    }
    this.cells[this.row]![this.column] = `${this.attributes}|${char}`;
    if (this.column === this.columns - 1) this.wrapPending = true;
    else this.column++;
  }

  private erase(row: number, from: number, to: number): void {
    for (let column = from; column < to; column++) this.cells[row]![column] = `${this.attributes}| `;
  }

  /** Applies the escape sequence starting at `at`; returns where the text after it starts. */
  private escape(output: string, at: number): number {
    const sequence = /^\u001B\[(\??)([0-9;]*)([A-Za-z])/.exec(output.slice(at, at + 32));
    if (!sequence) throw new Error(`the screen model does not know the sequence ${JSON.stringify(output.slice(at, at + 8))}`);
    const [whole, privateMode, parameters, final] = sequence as unknown as [string, string, string, string];
    const count = Math.max(1, Number(parameters || '1'));
    if (privateMode) {
      if (final !== 'h' && final !== 'l') throw new Error(`the screen model does not know the sequence ${JSON.stringify(whole)}`);
      this.modes.set(`?${parameters}`, final === 'h');
      return at + whole.length;
    }
    switch (final) {
      case 'A':
        this.moveTo(this.row - count, this.column);
        break;
      case 'B':
        this.moveTo(this.row + count, this.column);
        break;
      case 'E':
        this.moveTo(this.row + count, 0);
        break;
      case 'F':
        this.moveTo(this.row - count, 0);
        break;
      case 'G':
        this.moveTo(this.row, count - 1);
        break;
      case 'H': {
        const [row, column] = parameters.split(';');
        this.moveTo(Number(row || '1') - 1, Number(column || '1') - 1);
        break;
      }
      case 'K': {
        const mode = Number(parameters || '0');
        if (mode === 0) this.erase(this.row, this.column, this.columns);
        else if (mode === 1) this.erase(this.row, 0, this.column + 1);
        else this.erase(this.row, 0, this.columns);
        break;
      }
      case 'J': {
        const mode = Number(parameters || '0');
        if (mode === 0) {
          this.erase(this.row, this.column, this.columns);
          for (let row = this.row + 1; row < this.rows; row++) this.erase(row, 0, this.columns);
        } else if (mode === 1) {
          for (let row = 0; row < this.row; row++) this.erase(row, 0, this.columns);
          this.erase(this.row, 0, this.column + 1);
        } else {
          for (let row = 0; row < this.rows; row++) this.erase(row, 0, this.columns);
        }
        break;
      }
      case 'm':
        this.sgr(parameters);
        break;
      case 'L':
      case 'M': {
        const lines = Math.min(count, this.rows - this.row);
        const blanks = Array.from({ length: lines }, () => this.blankLine());
        if (final === 'L') {
          this.cells.splice(this.row, 0, ...blanks);
          this.cells.length = this.rows;
        } else {
          this.cells.splice(this.row, lines);
          this.cells.push(...blanks);
        }
        this.moveTo(this.row, 0);
        break;
      }
      default:
        throw new Error(`the screen model does not know the sequence ${JSON.stringify(whole)}`);
    }
    return at + whole.length;
  }

  /** SGR: the attributes on, by kind; a cell records them in a fixed order. */
  private sgr(parameters: string): void {
    const codes = parameters === '' ? [0] : parameters.split(';').map(Number);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      const set = (kind: string, value: string | undefined) => (value === undefined ? this.on.delete(kind) : this.on.set(kind, value));
      if (code === 0) this.on.clear();
      else if (code === 1 || code === 2) set('intensity', String(code));
      else if (code === 22) set('intensity', undefined);
      else if (code === 3 || code === 23) set('italic', code === 3 ? '3' : undefined);
      else if (code === 4 || code === 24) set('underline', code === 4 ? '4' : undefined);
      else if (code === 7 || code === 27) set('inverse', code === 7 ? '7' : undefined);
      else if (code === 9 || code === 29) set('strike', code === 9 ? '9' : undefined);
      else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) set('foreground', String(code));
      else if (code === 39) set('foreground', undefined);
      else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) set('background', String(code));
      else if (code === 49) set('background', undefined);
      else if (code === 38 || code === 48) {
        const length = codes[i + 1] === 5 ? 2 : 4;
        set(code === 38 ? 'foreground' : 'background', codes.slice(i, i + 1 + length).join(';'));
        i += length;
      } else throw new Error(`the screen model does not know the SGR code ${code}`);
    }
    this.attributes = [...this.on.keys()].sort().map((kind) => `[${this.on.get(kind)}]`).join('');
  }
}
