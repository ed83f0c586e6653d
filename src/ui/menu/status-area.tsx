import { Box, Text } from 'ink';
import { useTheme } from '../terminal/theme.js';
import { FittedLine } from './fitted-line.js';
import type { MenuStatus } from './menu-status.js';

/** Always two lines high, so a message coming or going never moves the list. */
export function StatusArea({ status, width }: { status: MenuStatus; width: number }) {
  const theme = useTheme();
  const blank = <Text> </Text>;
  let first = blank;
  let second = blank;
  if (status.kind === 'progress') {
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
