import { Box, type Key } from 'ink';
import { useState, type MutableRefObject } from 'react';
import { KeyHints } from '../components/key-hints.js';
import { useTheme } from '../terminal/theme.js';
import { FittedLine } from './fitted-line.js';

export interface OutputViewProps {
  title: string;
  lines: readonly string[];
  /** The app still runs: more lines may come, the view follows them, and only Ctrl-C or Ctrl-D leaves. */
  running?: boolean;
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
export function OutputView({ title, lines, running = false, width, height, keys, onClose, onQuit }: OutputViewProps) {
  const theme = useTheme();
  const bodyHeight = Math.max(1, height - 2);
  const maxTop = Math.max(0, lines.length - bodyHeight);
  // The end of the output matters most (a result, an error): start scrolled to it, and while
  // lines come, stay at the end unless the user scrolled up (undefined: following the end).
  const [scrolled, setTop] = useState<number | undefined>(undefined);
  const top = scrolled === undefined ? maxTop : Math.min(scrolled, maxTop);
  keys.current = (input, key) => {
    const move = (by: number) => setTop((current) => {
      const next = Math.min(maxTop, Math.max(0, (current ?? maxTop) + by));
      return next === maxTop ? undefined : next;
    });
    if (key.ctrl && (input === 'c' || input === 'd')) onQuit();
    else if (key.upArrow) move(-1);
    else if (key.downArrow) move(1);
    else if (key.pageUp) move(-bodyHeight);
    else if (key.pageDown) move(bodyHeight);
    else if (key.home) setTop(maxTop === 0 ? undefined : 0);
    else if (key.end) setTop(undefined);
    else if (running) return;
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
          running ? { key: 'Ctrl-C', label: 'quit' } : { key: 'any other key', label: 'back to the menu' },
        ]}
      />
    </Box>
  );
}
