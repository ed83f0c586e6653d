import { Text } from 'ink';
import type { GuestAppKind } from '../../plugin-api/index.js';
import { useTheme } from '../terminal/theme.js';
import type { VisibleApp } from './menu-filter.js';

/** Only the kinds that do not simply print their output are labelled. */
const KIND_LABELS: Partial<Record<GuestAppKind, string>> = {
  terminal: 'terminal',
  gui: 'gui, no display here',
};

/** The name with the characters the filter matched underlined, in runs (fewer escape codes). */
function HighlightedName({ name, positions }: { name: string; positions: readonly number[] }) {
  if (positions.length === 0) return <Text>{name}</Text>;
  const matched = new Set(positions);
  const runs: Array<{ text: string; hit: boolean }> = [];
  for (let i = 0; i < name.length; i++) {
    const hit = matched.has(i);
    const last = runs[runs.length - 1];
    if (last && last.hit === hit) last.text += name[i];
    else runs.push({ text: name[i]!, hit });
  }
  return (
    <Text>
      {runs.map((run, index) => (
        <Text key={index} underline={run.hit}>
          {run.text}
        </Text>
      ))}
    </Text>
  );
}

export function AppRow({ app, selected, showGroup }: { app: VisibleApp; selected: boolean; showGroup: boolean }) {
  const theme = useTheme();
  const { entry } = app;
  const kind = KIND_LABELS[entry.app.kind];
  return (
    <Text wrap="truncate-end">
      <Text color={theme.color('accent')}>{selected ? ` ${theme.symbols.pointer} ` : '   '}</Text>
      <Text bold={selected}>
        <HighlightedName name={entry.app.name} positions={app.positions} />
      </Text>
      {kind ? <Text color={theme.color('muted')}> ({kind})</Text> : null}
      {showGroup ? <Text color={theme.color('muted')}>{`  ${entry.group}`}</Text> : null}
    </Text>
  );
}
