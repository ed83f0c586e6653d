import { Box, Text } from 'ink';
import { useTheme } from '../terminal/theme.js';
import { asciiOnly } from './fit-text.js';

const MAX_WIDTH = 76;
/** Border and padding on each side. */
const FRAME = 4;

/** The question cut into lines at word boundaries, to fit the dialog. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word.slice(0, width);
  }
  if (line) lines.push(line);
  return lines;
}

function dialogWidth(width: number): number {
  return Math.min(width, MAX_WIDTH);
}

/** How many rows the dialog takes, so the screen above it can give them up. */
export function confirmDialogHeight(question: string, width: number): number {
  return wrapWords(`! ${question}`, dialogWidth(width) - FRAME).length + 3;
}

/**
 * A yes/no question before something that cannot be undone. No is the default: only `y`
 * confirms; `n`, Esc and Enter cancel. The question names what will be lost.
 */
export function ConfirmDialog({ question, width }: { question: string; width: number }) {
  const theme = useTheme();
  const bold = theme.capabilities.styles;
  const text = `${theme.symbols.warning} ${question}`;
  const lines = wrapWords(theme.symbols.ascii ? asciiOnly(text) : text, dialogWidth(width) - FRAME);
  return (
    <Box borderStyle={theme.symbols.border} borderColor={theme.color('warn')} flexDirection="column" paddingX={1} width={dialogWidth(width)}>
      {lines.map((line, index) => (
        <Text key={index} color={theme.color('warn')} bold={bold}>
          {line}
        </Text>
      ))}
      <Text>
        <Text bold={bold}>y</Text> yes, do it{'   '}
        <Text bold={bold}>n</Text>/Esc/Enter no: nothing is changed
      </Text>
    </Box>
  );
}
