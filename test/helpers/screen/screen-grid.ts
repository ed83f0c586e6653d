/**
 * A whole terminal screen as plain text: every cell of every row, the cursor's place and whether
 * it shows. This is what golden files hold, one screen per file:
 *
 *     # 80x24 cursor hidden alternate
 *     |Apps  4 apps                                                                    |
 *     |...                                                                             |
 *
 * The header gives columns x rows, the cursor — `hidden`, or `at column,row` (from 0) when it
 * shows: where a hidden cursor was left is nobody's concern, and depends on how frames were
 * batched — and which buffer is active (`alternate` while a full-screen app draws, `normal` after it left).
 * Each row sits between two bars, so trailing blanks are part of the file and no editor
 * trims them away.
 */
export interface ScreenGrid {
  columns: number;
  rows: number;
  cursor: { column: number; row: number };
  cursorShown: boolean;
  buffer: 'normal' | 'alternate';
  /** Exactly `rows` strings of exactly `columns` cells each (a wide character counts two). */
  lines: string[];
}

const HEADER = /^# (\d+)x(\d+) cursor (?:hidden|at (\d+),(\d+)) (normal|alternate)$/;

export function formatGrid(grid: ScreenGrid): string {
  const cursor = grid.cursorShown ? `at ${grid.cursor.column},${grid.cursor.row}` : 'hidden';
  const header = `# ${grid.columns}x${grid.rows} cursor ${cursor} ${grid.buffer}`;
  return `${[header, ...grid.lines.map((line) => `|${line}|`)].join('\n')}\n`;
}

export function parseGrid(text: string, source: string): ScreenGrid {
  const [header, ...rest] = text.replace(/\n$/, '').split('\n');
  const match = HEADER.exec(header ?? '');
  if (!match) throw new Error(`${source}: the first line is not a screen header ("# 80x24 cursor at 0,0 alternate"): ${header}`);
  const lines = rest.map((line, index) => {
    if (!line.startsWith('|') || !line.endsWith('|')) throw new Error(`${source}: row ${index} is not between two bars: ${line}`);
    return line.slice(1, -1);
  });
  return {
    columns: Number(match[1]),
    rows: Number(match[2]),
    cursor: { column: Number(match[3] ?? 0), row: Number(match[4] ?? 0) },
    cursorShown: match[3] !== undefined,
    buffer: match[5] as ScreenGrid['buffer'],
    lines,
  };
}

export function sameGrid(a: ScreenGrid, b: ScreenGrid): boolean {
  return formatGrid(a) === formatGrid(b);
}

/**
 * Two screens side by side, expected on the left and actual on the right, with row numbers;
 * rows that differ are marked `!`, and the header lines say what else differs.
 */
export function sideBySide(expected: ScreenGrid, actual: ScreenGrid): string {
  const head = (grid: ScreenGrid) => formatGrid(grid).split('\n')[0]!;
  const width = Math.max(expected.columns, ...expected.lines.map((line) => [...line].length));
  const pad = (line: string) => line + ' '.repeat(Math.max(0, width - [...line].length));
  const out = [`    expected: ${head(expected)}`, `    actual:   ${head(actual)}`, `    ${pad('expected')}   actual`];
  const count = Math.max(expected.lines.length, actual.lines.length);
  for (let row = 0; row < count; row++) {
    const left = expected.lines[row];
    const right = actual.lines[row];
    const mark = left === right ? ' ' : '!';
    out.push(`${String(row).padStart(2)}${mark} |${pad(left ?? '')}| |${right ?? ''}|`);
  }
  return out.join('\n');
}
