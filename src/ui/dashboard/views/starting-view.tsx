import { Box, Text, useApp, useInput } from 'ink';
import { useEffect } from 'react';
import { fitText } from '../../components/fit-text.js';
import { KeyHints } from '../../components/key-hints.js';
import { keyName } from '../../components/key-name.js';
import { useTerminalSize } from '../../hooks/use-terminal-size.js';
import { useTheme } from '../../terminal/theme.js';

/**
 * The dashboard's first frame, drawn while twinbox's core opens and reads the workspaces: over
 * SSH the screen answers at once. q and Ctrl-C already leave.
 */
export function StartingView({ onFirstFrame }: { onFirstFrame?: () => void }) {
  const theme = useTheme();
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  useEffect(() => {
    if (onFirstFrame) setImmediate(onFirstFrame);
  }, [onFirstFrame]);
  useInput((input, key) => {
    const name = keyName(input, key);
    if (name === 'q' || name === 'ctrl-c') exit();
  });
  return (
    <Box flexDirection="column" width={columns} height={Math.max(8, rows)}>
      <Text bold={theme.capabilities.styles} color={theme.color('accent')}>
        twinbox dashboard
      </Text>
      <Box flexGrow={1}>
        <Text color={theme.color('muted')}>{fitText('reading the workspaces...', columns, theme.symbols)}</Text>
      </Box>
      <KeyHints hints={[{ key: 'q', label: 'quit' }]} width={columns} />
    </Box>
  );
}
