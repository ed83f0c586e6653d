/**
 * A golden screen drawn as an SVG picture for the README: the grid's every row as text in a
 * terminal-coloured frame, the cursor as a block where it shows. The goldens are what the real
 * built CLI drew in a pseudo-terminal, compared cell by cell by the whole-screen tests, so a
 * picture made from one cannot show what a user would not see (`npm run goldens` writes both).
 * Plain text only: the goldens keep no colours, and neither do the pictures.
 */
import type { ScreenGrid } from './screen-grid.js';

const CELL_WIDTH = 8.4;
const LINE_HEIGHT = 17;
const PAD = 12;
const TITLE_BAR = 24;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function gridToSvg(grid: ScreenGrid, title: string): string {
  const width = Math.round(grid.columns * CELL_WIDTH + 2 * PAD);
  const height = Math.round(grid.rows * LINE_HEIGHT + 2 * PAD + TITLE_BAR);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" rx="6" fill="#1d1f21"/>`);
  out.push(`<rect width="${width}" height="${TITLE_BAR}" rx="6" fill="#373b41"/>`);
  out.push(`<text x="${width / 2}" y="16" fill="#c5c8c6" font-family="sans-serif" font-size="12" text-anchor="middle">${escapeXml(`${title} — ${grid.columns}×${grid.rows}`)}</text>`);
  if (grid.cursorShown) {
    const x = (PAD + grid.cursor.column * CELL_WIDTH).toFixed(1);
    const y = PAD + TITLE_BAR + grid.cursor.row * LINE_HEIGHT + 2;
    out.push(`<rect x="${x}" y="${y}" width="${CELL_WIDTH}" height="${LINE_HEIGHT - 1}" fill="#c5c8c6" opacity="0.7"/>`);
  }
  out.push(`<g font-family="'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14" fill="#e0e0e0" xml:space="preserve">`);
  for (const [row, line] of grid.lines.entries()) {
    const text = line.replace(/\s+$/, '');
    if (text === '') continue;
    const y = PAD + TITLE_BAR + row * LINE_HEIGHT + 13;
    // textLength pins each row to the grid's width whatever font the viewer has.
    out.push(`<text x="${PAD}" y="${y}" textLength="${(text.length * CELL_WIDTH).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${escapeXml(text)}</text>`);
  }
  out.push('</g>', '</svg>');
  return `${out.join('\n')}\n`;
}
