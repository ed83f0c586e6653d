import { Box, Text } from 'ink';
import type { MutableRefObject } from 'react';
import { useTheme, type ColorRole } from '../terminal/theme.js';
import { fitText, wrapText } from './fit-text.js';

/** One line of a scrollable view: text with an optional colour role and emphasis. */
export interface StyledLine {
  text: string;
  role?: ColorRole;
  bold?: boolean;
  /** Wrap the line at the width, continuation lines indented by this many spaces, instead of cutting it. */
  wrapIndent?: number;
}

export interface LineListProps {
  lines: readonly StyledLine[];
  width: number;
  height: number;
  /** First line shown; clamped so the last page is full. */
  offset: number;
  /** Receives the largest useful offset, so the keys that scroll stop there. */
  maxOffset?: MutableRefObject<number>;
}

/** A window of `height` lines out of many, each cut (or, asked to, wrapped) to the width: every view that scrolls uses it. */
export function LineList({ lines: given, width, height, offset, maxOffset }: LineListProps) {
  const theme = useTheme();
  const lines = given.flatMap((line) => (line.wrapIndent === undefined ? [line] : wrapText(line.text, width, theme.symbols, line.wrapIndent).map((text) => ({ ...line, text }))));
  const largest = Math.max(0, lines.length - height);
  const first = Math.min(Math.max(0, offset), largest);
  // Written while rendering, not in an effect: a key pressed right after this frame must see it.
  if (maxOffset) maxOffset.current = largest;
  const shown = lines.slice(first, first + height);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, index) => (
        <Text key={first + index} color={line.role ? theme.color(line.role) : undefined} bold={line.bold && theme.capabilities.styles}>
          {fitText(line.text, width, theme.symbols) || ' '}
        </Text>
      ))}
    </Box>
  );
}
