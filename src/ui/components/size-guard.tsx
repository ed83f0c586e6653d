import { Box, Text, useApp, useInput } from 'ink';
import type { ReactNode } from 'react';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { useTheme } from '../terminal/theme.js';
import { wrapText } from './fit-text.js';

export interface MinimumSize {
  columns: number;
  rows: number;
  /** What needs the room, for the message ("twinbox menu"). */
  what: string;
}

/** The one line a terminal too small for the screen gets instead of a garbled one. */
export function tooSmallLine(min: MinimumSize, columns: number, rows: number): string {
  return `${min.what} needs a terminal of at least ${min.columns}x${min.rows} (this one is ${columns}x${rows}): make it larger, or press q to quit`;
}

function TooSmall({ min, columns, rows }: { min: MinimumSize; columns: number; rows: number }) {
  const theme = useTheme();
  const { exit } = useApp();
  // The app behind is not drawn, so its keys are not heard: leaving still works.
  useInput((input, key) => {
    if (input === 'q' || input === 'Q' || key.escape || (key.ctrl && input === 'c')) exit();
  });
  // One sentence, wrapped rather than cut: on a narrow terminal the size needed is the point.
  const lines = wrapText(tooSmallLine(min, columns, rows), columns, theme.symbols).slice(0, Math.max(1, rows));
  return (
    <Box flexDirection="column">
      {lines.map((line, index) => (
        <Text key={index} color={theme.color('warn')}>
          {line}
        </Text>
      ))}
    </Box>
  );
}

/**
 * Draws its children when the terminal has room for them, else one line saying the size
 * needed; the children come back (drawn afresh) once the terminal is made larger.
 */
export function SizeGuard({ min, children }: { min: MinimumSize; children: ReactNode }) {
  const { columns, rows } = useTerminalSize();
  if (columns < min.columns || rows < min.rows) return <TooSmall min={min} columns={columns} rows={rows} />;
  return <>{children}</>;
}
