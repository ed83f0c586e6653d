import { Box } from 'ink';
import { useTheme } from '../terminal/theme.js';
import { AppRow } from './app-row.js';
import { FittedLine } from './fitted-line.js';
import type { MenuRow } from './menu-rows.js';

export interface AppListProps {
  rows: readonly MenuRow[];
  offset: number;
  height: number;
  width: number;
  selected: number;
  /** The filter, to highlight what it matched. */
  query: string;
  /** GUI apps can be opened from here (else they are labelled as having no display). */
  showsWindows: boolean;
}

/**
 * The visible window of the list. An arrow in the first column says more rows lie above or
 * below: at the left, a marker costs a byte or two per redraw, at the right a line of padding.
 */
export function AppList({ rows, offset, height, width, selected, query, showsWindows }: AppListProps) {
  const theme = useTheme();
  const visible = rows.slice(offset, offset + height);
  const more = (index: number) => (index === 0 && offset > 0 ? theme.symbols.arrowUp : index === visible.length - 1 && offset + height < rows.length ? theme.symbols.arrowDown : undefined);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.map((row, index) => {
        const marker = more(index);
        if (row.kind === 'group') {
          const segments = [{ text: row.label, bold: true, color: theme.color('accent') }];
          return <FittedLine key={`g:${row.label}`} width={width} segments={marker ? [{ text: `${marker} `, color: theme.color('muted') }, ...segments] : segments} />;
        }
        return <AppRow key={row.app.entry.key} app={row.app} query={query} selected={row.index === selected} marker={marker} width={width} showsWindows={showsWindows} />;
      })}
    </Box>
  );
}
