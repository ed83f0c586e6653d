import { Box, Text } from 'ink';
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
  /** Filtered: rows name their group, as there are no headings. */
  filtered: boolean;
}

/** The visible window of the list; an arrow at the right edge says more rows lie above or below. */
export function AppList({ rows, offset, height, width, selected, filtered }: AppListProps) {
  const theme = useTheme();
  const visible = rows.slice(offset, offset + height);
  const more = (index: number) => (index === 0 && offset > 0 ? theme.symbols.arrowUp : index === visible.length - 1 && offset + height < rows.length ? theme.symbols.arrowDown : undefined);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.map((row, index) => {
        const marker = more(index);
        const room = marker ? width - marker.length - 1 : width;
        return (
          <Box key={row.kind === 'group' ? `g:${row.label}` : row.app.entry.key} width={width}>
            <Box flexGrow={1}>
              {row.kind === 'group' ? (
                <FittedLine segments={[{ text: row.label, bold: true, color: theme.color('accent') }]} width={room} />
              ) : (
                <AppRow app={row.app} selected={row.index === selected} showGroup={filtered} width={room} />
              )}
            </Box>
            {marker ? <Text color={theme.color('muted')}>{marker}</Text> : null}
          </Box>
        );
      })}
    </Box>
  );
}
