import { Box, type Key } from 'ink';
import { useState, type MutableRefObject } from 'react';
import { KeyHints } from '../components/key-hints.js';
import { useTheme } from '../terminal/theme.js';
import { FittedLine } from './fitted-line.js';

export interface OutputViewProps {
  title: string;
  lines: readonly string[];
  width: number;
  height: number;
  /**
   * Where the menu's one input handler finds this view's keys: set while the view renders, so
   * the first key after the view appears is already its own.
   */
  keys: MutableRefObject<((input: string, key: Key) => void) | undefined>;
  onClose(): void;
  /** Ctrl-C and Ctrl-D leave the menu from here too. */
  onQuit(): void;
}

/** A command app's output, scrollable; any key but the scroll keys goes back to the menu. */
export function OutputView({ title, lines, width, height, keys, onClose, onQuit }: OutputViewProps) {
  const theme = useTheme();
  const bodyHeight = Math.max(1, height - 2);
  const maxTop = Math.max(0, lines.length - bodyHeight);
  // The end of the output matters most (a result, an error): start scrolled to it.
  const [top, setTop] = useState(maxTop);
  keys.current = (input, key) => {
    const move = (by: number) => setTop((current) => Math.min(maxTop, Math.max(0, current + by)));
    if (key.ctrl && (input === 'c' || input === 'd')) onQuit();
    else if (key.upArrow) move(-1);
    else if (key.downArrow) move(1);
    else if (key.pageUp) move(-bodyHeight);
    else if (key.pageDown) move(bodyHeight);
    else if (key.home) setTop(0);
    else if (key.end) setTop(maxTop);
    else if (input !== '' || key.return || key.escape || key.backspace || key.delete || key.tab) {
      // The next key is the menu's, even before the menu is drawn again.
      keys.current = undefined;
      onClose();
    }
  };
  const shown = lines.slice(top, top + bodyHeight);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <FittedLine
        width={width}
        segments={[{ text: title, bold: true }, ...(lines.length > bodyHeight ? [{ text: `  lines ${top + 1}-${top + shown.length} of ${lines.length}`, color: theme.color('muted') }] : [])]}
      />
      <Box flexDirection="column" height={bodyHeight}>
        {shown.map((line, index) => (
          <FittedLine key={top + index} width={width} segments={[{ text: line === '' ? ' ' : line }]} />
        ))}
      </Box>
      <KeyHints
        width={width}
        hints={[
          { key: `${theme.symbols.arrowUp}${theme.symbols.arrowDown}`, label: 'scroll' },
          { key: 'PgUp/PgDn', label: 'page' },
          { key: 'any other key', label: 'back to the menu' },
        ]}
      />
    </Box>
  );
}
