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

/**
 * Text broken into lines of at most `width` characters at spaces (a word longer than the line
 * is split), continuation lines indented by `indent` spaces: long reasons and fixes are read
 * whole instead of cut with an ellipsis.
 */
export function wrapText(text: string, width: number, symbols: Pick<Symbols, 'ascii' | 'ellipsis'>, indent = 0): string[] {
  if (width <= 0) return [];
  const flat = (symbols.ascii ? asciiOnly(text) : text).replace(/[\r\n\t]+/g, ' ');
  if (flat.length <= width) return [flat];
  const pad = ' '.repeat(Math.min(indent, Math.max(0, width - 10)));
  const lead = /^ */.exec(flat)![0].slice(0, Math.max(0, width - 10));
  const lines: string[] = [];
  // The line being filled: its start (leading blanks or the indent) and its words.
  let start = lead;
  let words = '';
  const push = () => {
    lines.push(start + words);
    start = pad;
    words = '';
  };
  // Runs of blanks inside a line (a column's padding) are kept; at a break they go.
  let blanks = '';
  for (const token of flat.slice(lead.length).match(/ +|[^ ]+/g) ?? []) {
    if (token.startsWith(' ')) {
      blanks = words === '' ? '' : token;
      continue;
    }
    let rest = token;
    if (words !== '' && start.length + words.length + blanks.length + rest.length > width) {
      push();
      blanks = '';
    }
    for (;;) {
      const room = width - start.length - words.length - blanks.length;
      if (rest.length <= room) break;
      if (room <= 0) {
        push();
        blanks = '';
        continue;
      }
      words += blanks + rest.slice(0, room);
      blanks = '';
      rest = rest.slice(room);
      push();
    }
    words += blanks + rest;
    blanks = '';
  }
  if (words !== '' || lines.length === 0) push();
  return lines;
}
