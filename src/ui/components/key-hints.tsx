import { Box, Text } from 'ink';
import { useTheme } from '../terminal/theme.js';

export interface KeyHint {
  key: string;
  label: string;
}

/** The footer of single-key actions (k9s, nemu): as many as fit the width, in order. */
export function KeyHints({ hints, width }: { hints: readonly KeyHint[]; width: number }) {
  const theme = useTheme();
  const shown: KeyHint[] = [];
  let used = 0;
  for (const hint of hints) {
    const cost = hint.key.length + hint.label.length + 2;
    if (used + cost > width) break;
    shown.push(hint);
    used += cost;
  }
  return (
    <Box>
      {shown.map((hint) => (
        <Text key={hint.key}>
          <Text bold color={theme.color('accent')}>
            {hint.key}
          </Text>
          <Text> {hint.label} </Text>
        </Text>
      ))}
    </Box>
  );
}
