import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import { orderMenu, type MenuEntry } from '../../core/apps/menu-entries.js';
import { KeyHints } from '../components/key-hints.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { useTheme } from '../terminal/theme.js';
import { AppList } from './app-list.js';
import { FittedLine } from './fitted-line.js';
import { filterMenu, indexEntries, type MenuIndex, type VisibleApp } from './menu-filter.js';
import { keyPresses, menuAction } from './menu-keys.js';
import type { MenuLauncher } from './menu-launcher.js';
import { navigate, selectedIndex, type NavState } from './menu-navigation.js';
import { menuRows, rowOfApp, scrollOffset } from './menu-rows.js';
import { failureStatus, launchedNote, type MenuStatus } from './menu-status.js';
import { outputLines } from './output-lines.js';
import { OutputView } from './output-view.js';
import { StatusArea } from './status-area.js';

/** What the menu keeps across a terminal app, which it must leave the screen for. */
export interface MenuMemory {
  query: string;
  selectedKey?: string;
  status?: MenuStatus;
}

/** `launching`: the user left while a workspace was still starting for a launch. */
export type MenuOutcome = { type: 'quit'; launching?: true } | { type: 'terminal'; entry: MenuEntry; memory: MenuMemory };

export interface MenuScreenProps {
  entries: readonly MenuEntry[];
  launcher: MenuLauncher;
  memory?: MenuMemory;
  onLeave(outcome: MenuOutcome): void;
}

interface ShownOutput {
  title: string;
  lines: string[];
  /** The app still runs: its output so far, and more may come. */
  running?: boolean;
}

/** Title, filter line, status (two lines) and footer around the list; one line spare for Ink. */
const CHROME_ROWS = 6;

export function MenuScreen({ entries: initialEntries, launcher, memory, onLeave }: MenuScreenProps) {
  const theme = useTheme();
  const { exit } = useApp();
  const { columns, rows: terminalRows } = useTerminalSize();
  const [entries, setEntries] = useState(initialEntries);
  const [nav, setNav] = useState<NavState>({ query: memory?.query ?? '', selectedKey: memory?.selectedKey });
  const [status, setStatus] = useState<MenuStatus>(memory?.status ?? { kind: 'idle' });
  const [output, setOutput] = useState<ShownOutput>();
  // Keys may come faster than redraws: they act on these, kept current synchronously.
  const latest = useRef({ nav, busy: false, left: false });
  /** The output view's keys while it is shown (set as it renders). */
  const outputKeys = useRef<((input: string, key: Key) => void) | undefined>(undefined);
  const offsetRef = useRef(0);
  const filterCache = useRef<{ index: MenuIndex; query: string; apps: VisibleApp[] }>(undefined);

  const index = useMemo(() => indexEntries(entries), [entries]);
  const appsFor = (query: string): VisibleApp[] => {
    const cached = filterCache.current;
    if (cached && cached.index === index && cached.query === query) return cached.apps;
    const apps = filterMenu(index, query);
    filterCache.current = { index, query, apps };
    return apps;
  };
  const { query } = nav;
  const apps = appsFor(query);
  const filtered = query.length > 0;
  const rows = useMemo(() => menuRows(apps, !filtered), [apps, filtered]);
  const listHeight = Math.max(1, terminalRows - CHROME_ROWS);
  const current = selectedIndex(nav, apps);
  offsetRef.current = scrollOffset(offsetRef.current, rowOfApp(rows, current), listHeight, rows.length);

  const changeNav = (next: NavState) => {
    latest.current.nav = next;
    setNav(next);
  };
  const setBusy = (busy: boolean) => {
    latest.current.busy = busy;
  };

  const leave = (outcome: MenuOutcome) => {
    // Keys after a way out (in the same chunk, or while Ink unmounts) must not leave twice.
    if (latest.current.left) return;
    latest.current.left = true;
    onLeave(outcome);
    exit();
  };

  // The launcher counted the launch in the usage file; the menu reorders at once to match.
  const counted = (key: string) => setEntries((all) => orderMenu(all.map((entry) => (entry.key === key ? { ...entry, uses: entry.uses + 1 } : entry))));

  const launch = async (entry: MenuEntry, at: NavState) => {
    if (entry.app.kind === 'gui' && !launcher.showsWindows) {
      setStatus({ kind: 'failure', text: `${entry.app.name} is a graphical app, and there is no display in this terminal`, help: "open it from the hypervisor's display (SPICE/VNC, the VirtualBox or Hyper-V console)" });
      return;
    }
    const onProgress = (text: string) => setStatus({ kind: 'progress', text: `${entry.workspace}: ${text}` });
    setStatus({ kind: 'progress', text: `launching ${entry.app.name}` });
    setBusy(true);
    try {
      if (entry.app.kind === 'gui') {
        const result = await launcher.openGui(entry, onProgress);
        counted(entry.key);
        setStatus(result.launched ? { kind: 'note', text: launchedNote(entry, result.launched) } : { kind: 'idle' });
        return;
      }
      if (entry.app.kind === 'terminal') {
        await launcher.prepareTerminal(entry, onProgress);
        leave({ type: 'terminal', entry, memory: { query: at.query, selectedKey: entry.key } });
        return;
      }
      let text = '';
      const title = `${entry.app.name} (${entry.workspace})`;
      // The output is shown as it comes, not once the app has ended: a slow command's first
      // lines are on screen while it still works (Ink draws at most one frame per 32 ms).
      const result = await launcher.runCommand(entry, onProgress, (chunk) => {
        text += chunk;
        setStatus((shownStatus) => (shownStatus.kind === 'idle' ? shownStatus : { kind: 'idle' }));
        setOutput({ title: `${title}: running`, lines: outputLines(text), running: true });
      });
      counted(entry.key);
      setStatus({ kind: 'idle' });
      const exitNote = result.exitCode === 0 ? 'exit 0' : result.exitCode === null ? 'ended by a signal' : `exit ${result.exitCode}`;
      setOutput({ title: `${title}: ${exitNote}`, lines: outputLines(text === '' ? '(no output)' : text) });
    } catch (error) {
      // A launch that failed after some output came leaves its "running" view for the menu,
      // where the failure and its hint are shown (the view would wait for more forever).
      setOutput(undefined);
      setStatus(failureStatus(entry, error));
    } finally {
      setBusy(false);
    }
  };

  const onKey = (input: string, key: Key) => {
    const state = latest.current.nav;
    const action = menuAction(input, key, state.query === '');
    if (action.type === 'quit') {
      leave(latest.current.busy ? { type: 'quit', launching: true } : { type: 'quit' });
      return;
    }
    // While a workspace starts only leaving is possible; the workspace goes on starting.
    if (latest.current.busy) return;
    const shown = appsFor(state.query);
    if (action.type === 'launch') {
      const entry = shown[selectedIndex(state, shown)]?.entry;
      if (entry) void launch(entry, state);
      return;
    }
    const next = navigate(state, action, shown, listHeight);
    if (next === state) return;
    if (next.query !== state.query) {
      offsetRef.current = 0;
      setStatus((shownStatus) => (shownStatus.kind === 'idle' ? shownStatus : { kind: 'idle' }));
    }
    changeNav(next);
  };

  // One input handler for the life of the menu, routing each key to what is on screen as of
  // the last render: Ink subscribes a component's handler in an effect after its frame is
  // drawn, so a key pressed as the output view appeared went to the list behind it, or nowhere.
  const onInput = (input: string, key: Key) => {
    if (outputKeys.current) return outputKeys.current(input, key);
    for (const [one, itsKey] of keyPresses(input, key)) if (!latest.current.left) onKey(one, itsKey);
  };
  const latestOnInput = useRef(onInput);
  latestOnInput.current = onInput;
  useInput(useCallback((input: string, key: Key) => latestOnInput.current(input, key), []));

  if (output) {
    return (
      <OutputView
        title={output.title}
        lines={output.lines}
        running={output.running}
        width={columns}
        height={terminalRows - 1}
        keys={outputKeys}
        onClose={() => setOutput(undefined)}
        onQuit={() => leave(latest.current.busy ? { type: 'quit', launching: true } : { type: 'quit' })}
      />
    );
  }
  outputKeys.current = undefined;

  const total = `${entries.length} app${entries.length === 1 ? '' : 's'}`;
  // The filter's count rides on the filter line, which changes with each key anyway; the title
  // line stays the same and is never redrawn while typing.
  const matches = `  ${apps.length} of ${entries.length}`;
  const shownQuery = query.length > columns - 3 - matches.length ? query.slice(query.length - Math.max(1, columns - 3 - matches.length)) : query;
  return (
    <Box flexDirection="column" width={columns} height={terminalRows - 1}>
      <FittedLine width={columns} segments={[{ text: 'Apps', bold: true }, { text: `  ${total}` }]} />
      <FittedLine
        width={columns}
        segments={[{ text: `${theme.symbols.pointer} `, color: theme.color('accent') }, ...(filtered ? [{ text: shownQuery }, { text: matches }] : [{ text: 'type to filter', color: theme.color('muted') }])]}
      />
      {entries.length === 0 ? (
        <Box height={listHeight} flexDirection="column">
          <Text>No published apps yet.</Text>
          <Text color={theme.color('muted')}>Apps appear here once a workspace you may use has been set up.</Text>
        </Box>
      ) : apps.length === 0 ? (
        <Box height={listHeight}>
          <FittedLine width={columns} segments={[{ text: `No app matches "${query}".` }]} />
        </Box>
      ) : (
        <AppList rows={rows} offset={offsetRef.current} height={listHeight} width={columns} selected={current} query={query} showsWindows={launcher.showsWindows} />
      )}
      <StatusArea status={status} selected={apps[current]?.entry} width={columns} />
      <KeyHints
        width={columns}
        hints={[
          // Most needed first: a narrow terminal shows only those that fit. The same footer
          // filtered or not (q quits only unfiltered), so it is never redrawn.
          { key: 'Enter', label: 'launch' },
          { key: 'Esc', label: 'quit' },
          { key: `${theme.symbols.arrowUp}${theme.symbols.arrowDown}`, label: 'move' },
          { key: 'type', label: 'filter' },
          { key: 'Ctrl-U', label: 'clear' },
        ]}
      />
    </Box>
  );
}
