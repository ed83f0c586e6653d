import { Box, Text } from 'ink';
import type { MenuEntry } from '../../core/apps/menu-entries.js';
import { useTheme } from '../terminal/theme.js';
import { FittedLine } from './fitted-line.js';
import type { MenuStatus } from './menu-status.js';

/**
 * Always two lines high, so a message coming or going never moves the list. With nothing to
 * report it says where the selected app lives (filtered rows carry no group heading).
 */
export function StatusArea({ status, selected, width }: { status: MenuStatus; selected?: MenuEntry; width: number }) {
  const theme = useTheme();
  const blank = <Text> </Text>;
  let first = blank;
  let second = blank;
  if (status.kind === 'idle' && selected) {
    // Short: it changes with the selection, that is on most keys.
    first = <FittedLine width={width} segments={[{ text: `in ${selected.group}` }]} />;
  } else if (status.kind === 'progress') {
    first = <FittedLine width={width} segments={[{ text: `${theme.symbols.ellipsis} ${status.text}`, color: theme.color('warn') }]} />;
  } else if (status.kind === 'note') {
    first = <FittedLine width={width} segments={[{ text: status.text }]} />;
  } else if (status.kind === 'failure') {
    first = <FittedLine width={width} segments={[{ text: `${theme.symbols.fail} ${status.text}`, color: theme.color('error') }]} />;
    if (status.help) second = <FittedLine width={width} segments={[{ text: status.help }]} />;
  }
  return (
    <Box flexDirection="column" width={width} height={2}>
      {first}
      {second}
    </Box>
  );
}
