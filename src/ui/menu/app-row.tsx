import type { GuestAppKind } from '../../plugin-api/index.js';
import { useTheme } from '../terminal/theme.js';
import { FittedLine } from './fitted-line.js';
import { matchedPositions, type VisibleApp } from './menu-filter.js';
import type { Segment } from './use-fit.js';

/** Only the kinds that do not simply print their output are labelled. */
const KIND_LABELS: Partial<Record<GuestAppKind, string>> = {
  terminal: 'terminal',
  gui: 'gui, no display here',
};

/** The name with the characters the filter matched underlined, in runs (fewer escape codes). */
function nameSegments(name: string, positions: readonly number[], bold: boolean): Segment[] {
  if (positions.length === 0) return [{ text: name, bold }];
  const matched = new Set(positions);
  const runs: Segment[] = [];
  for (let i = 0; i < name.length; i++) {
    const underline = matched.has(i);
    const last = runs[runs.length - 1];
    if (last && Boolean(last.underline) === underline) last.text += name[i];
    else runs.push({ text: name[i]!, bold, underline });
  }
  return runs;
}

/**
 * One app: pointer, name and kind. A keystroke that reorders the list redraws every row, so
 * rows carry as few escape codes as can be: the matched letters are underlined on the selected
 * row only, and the kind is plain text.
 */
export function AppRow({ app, query, selected, marker, width, showsWindows }: { app: VisibleApp; query: string; selected: boolean; marker?: string; width: number; showsWindows: boolean }) {
  const theme = useTheme();
  const { entry } = app;
  const kind = entry.app.kind === 'gui' && showsWindows ? 'gui' : KIND_LABELS[entry.app.kind];
  const segments: Segment[] = [
    { text: marker ?? ' ', color: theme.color('muted') },
    { text: selected ? `${theme.symbols.pointer} ` : '  ', color: theme.color('accent') },
    ...nameSegments(entry.app.name, selected ? matchedPositions(app, query) : [], selected),
  ];
  if (kind) segments.push({ text: ` (${kind})` });
  return <FittedLine segments={segments} width={width} />;
}
