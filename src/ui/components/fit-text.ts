import type { Symbols } from '../terminal/symbols.js';

const ASCII_TWINS: Record<string, string> = {
  '·': '-',
  '–': '-',
  '—': '-',
  '…': '...',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '→': '->',
  '←': '<-',
  '≤': '<=',
  '≥': '>=',
  '×': 'x',
};

/** Text for a terminal that shows only ASCII: known glyphs get their twins, anything else a `?`. */
export function asciiOnly(text: string): string {
  return text.replace(/[^\x00-\x7f]/gu, (glyph) => ASCII_TWINS[glyph] ?? '?');
}

/**
 * Cuts text to a width with the theme's ellipsis, so no line is ever wider than the terminal
 * (Ink's own truncation would add a Unicode ellipsis even on an ASCII terminal), and keeps an
 * ASCII terminal's text ASCII whatever it quotes (core messages, guest output).
 */
export function fitText(text: string, width: number, symbols: Pick<Symbols, 'ascii' | 'ellipsis'>): string {
  if (width <= 0) return '';
  const flat = (symbols.ascii ? asciiOnly(text) : text).replace(/[\r\n\t]+/g, ' ');
  if (flat.length <= width) return flat;
  if (width <= symbols.ellipsis.length) return flat.slice(0, width);
  return flat.slice(0, width - symbols.ellipsis.length) + symbols.ellipsis;
}

/** Fits and pads to exactly `width` characters: a table cell. */
export function cell(text: string, width: number, symbols: Pick<Symbols, 'ascii' | 'ellipsis'>, align: 'left' | 'right' = 'left'): string {
  const fitted = fitText(text, width, symbols);
  return align === 'right' ? fitted.padStart(width) : fitted.padEnd(width);
}
