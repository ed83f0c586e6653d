import { Text } from 'ink';
import { useTheme } from '../terminal/theme.js';

/** A bar of `width` cells filled to `percent`, in the theme's glyphs (`#`/`-` on ASCII terminals). */
export function ProgressBar({ percent, width }: { percent: number; width: number }) {
  const theme = useTheme();
  const clamped = Math.max(0, Math.min(100, percent));
  const full = Math.round((clamped / 100) * width);
  return (
    <Text>
      <Text color={theme.color('accent')}>{theme.symbols.barFull.repeat(full)}</Text>
      <Text color={theme.color('muted')}>{theme.symbols.barEmpty.repeat(Math.max(0, width - full))}</Text>
    </Text>
  );
}
