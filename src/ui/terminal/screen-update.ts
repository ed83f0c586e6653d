/**
 * The fewest bytes that turn the lines a terminal shows into the next frame's: lines that
 * moved are moved with delete-line and insert-line (as curses does when a list scrolls or
 * loses rows), lines that changed are rewritten from their first changed cell to their last,
 * and the cursor takes the shortest way between them. Over SSH every byte of a keystroke's
 * frame is latency.
 */

import { plainOffsets } from './sgr-state.js';
import { knownWidth } from './text-width.js';

/** Where the real cursor is; a column of NaN is unknown (after a line was written to the edge, or lines were inserted). */
export interface Cursor {
  row: number;
  column: number;
}

export interface ScreenUpdate {
  output: string;
  cursor: Cursor | undefined;
}

const ESC = '\u001B[';

/** The shortest sequence from `from` (undefined: unknown) to row/column. */
export function cursorMove(from: Cursor | undefined, row: number, column: number): string {
  const absolute = column === 0 ? (row === 0 ? `${ESC}H` : `${ESC}${row + 1}H`) : `${ESC}${row + 1};${column + 1}H`;
  if (!from) return absolute;
  const columnKnown = !Number.isNaN(from.column);
  if (from.row === row) {
    if (columnKnown && from.column === column) return '';
    return column === 0 ? '\r' : shortest(`${ESC}${column + 1}G`, absolute);
  }
  const down = row - from.row;
  if (column === 0) {
    if (down === 1) return '\r\n';
    return shortest(down > 0 ? `${ESC}${down}E` : `${ESC}${-down}F`, absolute);
  }
  const vertical = down > 0 ? `${ESC}${down === 1 ? '' : down}B` : `${ESC}${-down === 1 ? '' : -down}A`;
  const horizontal = columnKnown && from.column === column ? '' : `${ESC}${column + 1}G`;
  return shortest(vertical + horizontal, absolute);
}

/** What a sequence costs on the wire: its UTF-8 bytes. */
function bytes(text: string): number {
  return Buffer.byteLength(text);
}

function shortest(a: string, b: string): string {
  return bytes(b) < bytes(a) ? b : a;
}

/** The longest common prefix of two lines that ends where both have every attribute off. */
function plainPrefix(old: string, next: string, oldPlain: Set<number>, nextPlain: Set<number>): number {
  let length = 0;
  const limit = Math.min(old.length, next.length);
  while (length < limit && old.charCodeAt(length) === next.charCodeAt(length)) length++;
  while (length > 0 && !(oldPlain.has(length) && nextPlain.has(length))) length--;
  return length;
}

/** The longest common suffix (as a length) that starts where both lines have every attribute off. */
function plainSuffix(old: string, next: string, oldPlain: Set<number>, nextPlain: Set<number>, prefix: number): number {
  let length = 0;
  const limit = Math.min(old.length, next.length) - prefix;
  while (length < limit && old.charCodeAt(old.length - 1 - length) === next.charCodeAt(next.length - 1 - length)) length++;
  while (length > 0 && !(oldPlain.has(old.length - length) && nextPlain.has(next.length - length))) length--;
  return length;
}

/**
 * Rewrites row `row`, which shows `old`, so that it shows `next`: only from the first cell
 * that differs, and, when the two are as wide, only to the last; erasing the rest of the
 * line only when the new one is narrower (or a width is uncertain).
 */
export function rewriteLine(from: Cursor | undefined, row: number, old: string, next: string, columns: number): ScreenUpdate {
  if (old === next) return { output: '', cursor: from };
  if (next === '') return { output: `${cursorMove(from, row, 0)}${ESC}K`, cursor: { row, column: 0 } };
  const oldPlain = plainOffsets(old);
  const nextPlain = plainOffsets(next);
  const prefix = plainPrefix(old, next, oldPlain, nextPlain);
  const startColumn = knownWidth(next.slice(0, prefix));
  const start = startColumn === undefined ? 0 : prefix;
  const column = startColumn ?? 0;
  const oldWidth = knownWidth(old);
  const nextWidth = knownWidth(next);
  const sameWidth = oldWidth !== undefined && oldWidth === nextWidth;
  const suffix = sameWidth ? plainSuffix(old, next, oldPlain, nextPlain, start) : 0;
  const written = next.slice(start, next.length - suffix);
  const narrower = oldWidth !== undefined && nextWidth !== undefined ? oldWidth - nextWidth : undefined;
  // Erasing the old line's tail: one or two spaces are shorter than the erase sequence.
  const erase = sameWidth || (narrower !== undefined && narrower < 0) ? '' : narrower !== undefined && narrower <= 2 ? ' '.repeat(narrower) : `${ESC}K`;
  if (written === '' && erase === '') return { output: '', cursor: from };
  const writtenWidth = knownWidth(written);
  const end = writtenWidth === undefined ? Number.NaN : column + writtenWidth + (erase.startsWith(' ') ? erase.length : 0);
  // At the last column the terminal waits to wrap: where the cursor is then depends on the terminal.
  const cursor = { row, column: end >= columns ? Number.NaN : end };
  const skipping = `${cursorMove(from, row, column)}${written}${erase}`;
  // Writing the unchanged start again can be shorter than skipping it (three spaces vs a move).
  const whole = `${cursorMove(from, row, 0)}${next.slice(0, next.length - suffix)}${erase}`;
  return { output: shortest(skipping, whole), cursor };
}

/** Delete-line then insert-line blanks rows in place: what lay below moves up, then back. */
const BLANK_RUN = 3;

function blankRows(from: Cursor | undefined, row: number, count: number): ScreenUpdate {
  const n = count === 1 ? '' : String(count);
  return { output: `${cursorMove(from, row, 0)}${ESC}${n}M${ESC}${n}L`, cursor: { row, column: Number.NaN } };
}

/** Rewrites every changed row in place. */
function inPlace(shown: readonly string[], next: readonly string[], from: Cursor | undefined, columns: number): ScreenUpdate {
  let output = '';
  let cursor = from;
  for (let row = 0; row < next.length; row++) {
    let run = 0;
    while (row + run < next.length && next[row + run] === '') run++;
    const erased = shown.slice(row, row + run).filter((line) => line !== '').length;
    if (erased >= BLANK_RUN && shown[row] !== '') {
      const update = blankRows(cursor, row, run);
      output += update.output;
      cursor = update.cursor;
      row += run - 1;
      continue;
    }
    const update = rewriteLine(cursor, row, shown[row] ?? '', next[row]!, columns);
    output += update.output;
    cursor = update.cursor;
  }
  return { output, cursor };
}

/**
 * The pairs of rows (old, new) that stay: a common subsequence of the two frames weighted by
 * how many bytes each kept line saves, blank lines saving nothing.
 */
function keptRows(shown: readonly string[], next: readonly string[]): Array<[number, number]> {
  const n = shown.length;
  const m = next.length;
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const keep = shown[i] === next[j] && next[j] !== '' ? next[j]!.length + best[i + 1]![j + 1]! : 0;
      best[i]![j] = Math.max(keep, best[i + 1]![j]!, best[i]![j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (shown[i] === next[j] && next[j] !== '' && best[i]![j] === next[j]!.length + best[i + 1]![j + 1]!) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (best[i + 1]![j]! >= best[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/**
 * Moves the kept rows into place with delete-line and insert-line — all deletions first, so
 * that no line a later step keeps is pushed off the bottom — then rewrites the rest.
 */
function withMoves(shown: readonly string[], next: readonly string[], from: Cursor | undefined, columns: number): ScreenUpdate | undefined {
  const pairs = keptRows(shown, next);
  if (pairs.every(([i, j]) => i === j)) return undefined;
  // The gaps between kept rows: how many old rows they held and how many new rows they hold.
  const gaps: Array<{ oldRows: number; newRows: number }> = [];
  let lastOld = -1;
  let lastNew = -1;
  for (const [i, j] of [...pairs, [shown.length, next.length] as [number, number]]) {
    gaps.push({ oldRows: i - lastOld - 1, newRows: j - lastNew - 1 });
    lastOld = i;
    lastNew = j;
  }
  const screen = [...shown];
  let output = '';
  let cursor = from;
  // Deletions, top down: each gap keeps as many of its rows as it will need (rewritten later).
  let row = 0;
  for (const [index, gap] of gaps.entries()) {
    const extra = gap.oldRows - gap.newRows;
    if (extra > 0 && index < gaps.length - 1) {
      const at = row + gap.newRows;
      output += `${cursorMove(cursor, at, 0)}${ESC}${extra === 1 ? '' : extra}M`;
      screen.splice(at, extra);
      screen.push(...new Array<string>(extra).fill(''));
      cursor = { row: at, column: Number.NaN };
    }
    row += Math.min(gap.oldRows, gap.newRows) + 1;
  }
  // Insertions, top down: the blank lines they push off the bottom are the ones deletions left.
  row = 0;
  for (const [index, gap] of gaps.entries()) {
    const missing = gap.newRows - gap.oldRows;
    if (missing > 0 && index < gaps.length - 1) {
      const at = row + gap.oldRows;
      output += `${cursorMove(cursor, at, 0)}${ESC}${missing === 1 ? '' : missing}L`;
      screen.splice(at, 0, ...new Array<string>(missing).fill(''));
      screen.length = shown.length;
      cursor = { row: at, column: Number.NaN };
    }
    row += gap.newRows + 1;
  }
  const rest = inPlace(screen, next, cursor, columns);
  return { output: output + rest.output, cursor: rest.cursor };
}

const SGR_RUN = /\u001B\[[0-9;]*m(?:\u001B\[[0-9;]*m)+/g;

/**
 * Adjacent SGR sequences written as one (ESC[4m ESC[1m as ESC[4;1m): Ink's colour library
 * writes one sequence per style, and a highlighted word carries two or three. The parameters
 * apply in order either way (ECMA-48 8.3.117); sequences with sub-parameters (colons) are left
 * as they are.
 */
export function mergeSgr(text: string): string {
  return text.replace(SGR_RUN, (run) => `${ESC}${run.slice(2, -1).split(`m${ESC}`).join(';')}m`);
}

/** The bytes that turn `shown` into `next` (both a line per row), from the cursor at `from`. */
export function screenUpdate(shown: readonly string[], next: readonly string[], from: Cursor | undefined, columns: number): ScreenUpdate {
  const merged = (plan: ScreenUpdate): ScreenUpdate => ({ ...plan, output: mergeSgr(plan.output) });
  const direct = merged(inPlace(shown, next, from, columns));
  const planned = withMoves(shown, next, from, columns);
  const moved = planned && merged(planned);
  return moved && bytes(moved.output) < bytes(direct.output) ? moved : direct;
}
