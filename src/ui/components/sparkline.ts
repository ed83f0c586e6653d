import type { Symbols } from '../terminal/symbols.js';

/**
 * The last `width` values as a line of `width` cells, one level glyph each (▁ to █; ASCII
 * `_` to `#`), newest on the right, as htop's and k9s's meters draw history. A value not read
 * is a blank cell, so a gap in the readings shows as one. `max` fixes the scale (CPU: 100 %);
 * without it the largest value of the line is the top, so memory shows its changes.
 */
export function sparkline(values: ReadonlyArray<number | undefined>, width: number, symbols: Pick<Symbols, 'levels'>, max?: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  const known = shown.filter((value): value is number => value !== undefined && Number.isFinite(value));
  const top = max ?? Math.max(0, ...known);
  const levels = symbols.levels;
  const cells = shown.map((value) => {
    if (value === undefined || !Number.isFinite(value)) return ' ';
    if (top <= 0) return levels[0]!;
    const level = Math.round((Math.min(Math.max(value, 0), top) / top) * (levels.length - 1));
    return levels[level]!;
  });
  return `${' '.repeat(width - cells.length)}${cells.join('')}`;
}
