import { Box, Text } from 'ink';
import { useTheme } from '../terminal/theme.js';
import { AppRow } from './app-row.js';
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

/** The visible window of the list; a marker on the last line says more rows lie below. */
export function AppList({ rows, offset, height, width, selected, filtered }: AppListProps) {
  const theme = useTheme();
  const visible = rows.slice(offset, offset + height);
  const above = offset > 0;
  const below = offset + height < rows.length;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.map((row, index) => {
        const marker = (index === 0 && above) || (index === visible.length - 1 && below);
        if (row.kind === 'group') {
          return (
            <Text key={`g:${row.label}`} wrap="truncate-end" bold color={theme.color('accent')}>
              {row.label}
              {marker ? <Text color={theme.color('muted')}> {index === 0 ? theme.symbols.arrowUp : theme.symbols.arrowDown}</Text> : null}
            </Text>
          );
        }
        return (
          <Box key={row.app.entry.key} width={width}>
            <Box flexGrow={1}>
              <AppRow app={row.app} selected={row.index === selected} showGroup={filtered} />
            </Box>
            {marker ? <Text color={theme.color('muted')}>{index === 0 ? theme.symbols.arrowUp : theme.symbols.arrowDown}</Text> : null}
          </Box>
        );
      })}
    </Box>
  );
}
