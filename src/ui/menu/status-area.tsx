import { Box, Text } from 'ink';
import { useTheme } from '../terminal/theme.js';
import type { MenuStatus } from './menu-status.js';

/** Always two lines high, so a message coming or going never moves the list. */
export function StatusArea({ status, width }: { status: MenuStatus; width: number }) {
  const theme = useTheme();
  let first = <Text> </Text>;
  let second = <Text> </Text>;
  if (status.kind === 'progress') {
    first = (
      <Text wrap="truncate-end" color={theme.color('warn')}>
        {theme.symbols.ellipsis} {status.text}
      </Text>
    );
  } else if (status.kind === 'note') {
    first = <Text wrap="truncate-end">{status.text}</Text>;
  } else if (status.kind === 'failure') {
    first = (
      <Text wrap="truncate-end" color={theme.color('error')}>
        {theme.symbols.fail} {status.text}
      </Text>
    );
    if (status.help) second = <Text wrap="truncate-end">{status.help}</Text>;
  }
  return (
    <Box flexDirection="column" width={width} height={2}>
      {first}
      {second}
    </Box>
  );
}
