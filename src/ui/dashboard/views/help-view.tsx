import type { MutableRefObject } from 'react';
import { LineList, type StyledLine } from '../../components/line-list.js';
import { useTheme } from '../../terminal/theme.js';
import { helpRows } from '../key-table.js';

/** Every key of the key table, grouped by where it works; in a read-only dashboard the action keys say they are off. */
export function helpLines(arrows: { up: string; down: string }, readOnly = false): StyledLine[] {
  const lines: StyledLine[] = [];
  if (readOnly) lines.push({ text: 'Read-only (--read-only): the keys that act on a workspace are off.', role: 'warn' }, { text: '' });
  for (const group of helpRows(arrows, readOnly)) {
    const width = Math.max(...group.rows.map((row) => row.keys.length));
    lines.push({ text: group.title, bold: true, role: 'accent' });
    for (const row of group.rows) lines.push({ text: `  ${row.keys.padEnd(width)}  ${row.help}` });
    lines.push({ text: '' });
  }
  lines.push({ text: 'Workspaces keep running when the dashboard closes or the connection drops.', role: 'muted' });
  return lines;
}

export function HelpView({ readOnly, width, height, offset, maxOffset }: { readOnly?: boolean; width: number; height: number; offset: number; maxOffset: MutableRefObject<number> }) {
  const theme = useTheme();
  return <LineList lines={helpLines({ up: theme.symbols.arrowUp, down: theme.symbols.arrowDown }, readOnly)} width={width} height={height} offset={offset} maxOffset={maxOffset} />;
}
