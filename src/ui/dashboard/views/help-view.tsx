import type { MutableRefObject } from 'react';
import { LineList, type StyledLine } from '../../components/line-list.js';
import { useTheme } from '../../terminal/theme.js';
import { helpRows } from '../key-table.js';

/** Every key of the key table, grouped by where it works. */
export function helpLines(arrows: { up: string; down: string }): StyledLine[] {
  const lines: StyledLine[] = [];
  for (const group of helpRows(arrows)) {
    const width = Math.max(...group.rows.map((row) => row.keys.length));
    lines.push({ text: group.title, bold: true, role: 'accent' });
    for (const row of group.rows) lines.push({ text: `  ${row.keys.padEnd(width)}  ${row.help}` });
    lines.push({ text: '' });
  }
  lines.push({ text: 'Workspaces keep running when the dashboard closes or the connection drops.', role: 'muted' });
  return lines;
}

export function HelpView({ width, height, offset, maxOffset }: { width: number; height: number; offset: number; maxOffset: MutableRefObject<number> }) {
  const theme = useTheme();
  return <LineList lines={helpLines({ up: theme.symbols.arrowUp, down: theme.symbols.arrowDown })} width={width} height={height} offset={offset} maxOffset={maxOffset} />;
}
