/**
 * Cuts text to a width with the theme's ellipsis, so no line is ever wider than the terminal
 * (Ink's own truncation would add a Unicode ellipsis even on an ASCII terminal).
 */
export function fitText(text: string, width: number, ellipsis: string): string {
  if (width <= 0) return '';
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  if (flat.length <= width) return flat;
  if (width <= ellipsis.length) return flat.slice(0, width);
  return flat.slice(0, width - ellipsis.length) + ellipsis;
}

/** Fits and pads to exactly `width` characters: a table cell. */
export function cell(text: string, width: number, ellipsis: string, align: 'left' | 'right' = 'left'): string {
  const fitted = fitText(text, width, ellipsis);
  return align === 'right' ? fitted.padStart(width) : fitted.padEnd(width);
}
