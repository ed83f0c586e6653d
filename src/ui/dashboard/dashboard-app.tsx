import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import { isTwinboxError } from '../../plugin-api/index.js';
import type { SetupProgressEvent } from '../../core/setup/progress-events.js';
import type { SetupPrompt } from '../../core/setup/prompts.js';
import { ConfirmDialog, confirmDialogHeight } from '../components/confirm-dialog.js';
import { fitText } from '../components/fit-text.js';
import { keyName, splitTyped } from '../components/key-name.js';
import { KeyHints } from '../components/key-hints.js';
import { useLoad } from '../hooks/use-load.js';
import { usePoll } from '../hooks/use-poll.js';
import { useSyncedState } from '../hooks/use-synced-state.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { useTheme } from '../terminal/theme.js';
import type { DashboardService } from './dashboard-service.js';
import { bindingFor, KEY_TABLE, keyLabel, offWhenReadOnly, type DashboardCommand, type KeyBinding } from './key-table.js';
import { applySetupEvent, startSetupProgress, type SetupProgress } from './setup-progress.js';
import { DetailPane, PANE_MIN_ROWS } from './views/detail-pane.js';
import { DetailView } from './views/detail-view.js';
import { DoctorView } from './views/doctor-view.js';
import { HelpView } from './views/help-view.js';
import { LogsView } from './views/logs-view.js';
import { PluginsView } from './views/plugins-view.js';
import { SetupView } from './views/setup-view.js';
import { WorkspaceList } from './views/workspace-list.js';
import { busyHolder, matchesFilter, summaryLine, suspendOrResume, type LocalAction, type WorkspaceActionId, type WorkspaceRow } from './workspace-row.js';

export type DashboardView =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'details'; name: string }
  | { kind: 'logs'; name: string }
  | { kind: 'setup'; name: string }
  | { kind: 'plugins' }
  | { kind: 'doctor' };

type Message = { level: 'info' | 'busy' | 'error'; text: string; hint?: string };

interface Confirmation {
  question: string;
  onYes(): void;
}

export interface DashboardOptions {
  /** How often the workspaces' status is read again. */
  pollMs: number;
  /** How often once nothing has changed for a while (an action polls often again at once). */
  quietPollMs?: number;
  /** How long one guest-agent ping may take. */
  pingTimeoutMs: number;
  /** Called once the first frame with the workspace list has been drawn (the first-frame benchmark). */
  onFirstList?: () => void;
  /** The user quit while actions of this dashboard were still running: they are to stop with the process. */
  onAbandon?: () => void;
  /** Every workspace action off (`twinbox dashboard --read-only`): views, filter and quit only. */
  readOnly?: boolean;
  /** The first read of the rows, when it was started before the UI loaded: under way, or done. */
  firstRows?: Promise<WorkspaceRow[]> | { value: WorkspaceRow[] };
}

const ACTION_VERBS: Record<WorkspaceActionId, string> = {
  start: 'starting',
  stop: 'stopping',
  'force-stop': 'powering off',
  'suspend-resume': 'suspending',
  restart: 'restarting',
  reset: 'resetting',
  snapshot: 'snapshotting',
  setup: 'setting up',
  uninstall: 'uninstalling',
};

const PLUGIN_DETECTION_DELAY_MS = 300;

/** Actions that run first-time setup from its start: the setup view opens at once. */
const SETUP_ACTIONS = new Set<WorkspaceActionId>(['setup', 'reset']);

function describeError(error: unknown): Message {
  if (isTwinboxError(error)) return { level: error.code === 'busy' ? 'busy' : 'error', text: error.message, hint: error.hint };
  return { level: 'error', text: `unexpected error: ${(error as Error)?.message ?? String(error)}`, hint: 'run `twinbox status` or `twinbox logs` for more' };
}

/** The admin dashboard: the workspace list with live status, single-key actions and the views behind them. */
export function DashboardApp({ service, options }: { service: DashboardService; options: DashboardOptions }) {
  const theme = useTheme();
  const { exit } = useApp();
  const { columns, rows: screenRows } = useTerminalSize();
  const width = Math.max(20, columns);
  const height = Math.max(8, screenRows);

  const poll = usePoll(useCallback(() => service.rows(options.pingTimeoutMs), [service, options.pingTimeoutMs]), { intervalMs: options.pollMs, quietIntervalMs: options.quietPollMs }, service.clock, options.firstRows);
  // Detecting every plugin imports them all and runs their probes: not before the list is on
  // screen and the first keys can be handled, which is what the labels can wait for.
  const listShown = poll.value !== undefined;
  const reports = useLoad(
    async (signal) => {
      if (!listShown) return undefined;
      await service.clock.sleep(PLUGIN_DETECTION_DELAY_MS, signal);
      return service.plugins();
    },
    [service, listShown],
  );
  // Key handlers read the latest of these through their refs (see useSyncedState).
  const [view, setView, viewRef] = useSyncedState<DashboardView>({ kind: 'list' });
  const [filter, setFilter] = useSyncedState('');
  const [filtering, setFiltering, filteringRef] = useSyncedState(false);
  const [confirm, setConfirm, confirmRef] = useSyncedState<Confirmation | undefined>(undefined);
  const [setups, setSetups, setupsRef] = useSyncedState<ReadonlyMap<string, SetupProgress>>(new Map());
  const [answer, setAnswer, answerRef] = useSyncedState('');
  const [selected, setSelected] = useState<string>();
  const [message, setMessage] = useState<Message>();
  const [local, setLocal, localRef] = useSyncedState<ReadonlyMap<string, LocalAction>>(new Map());
  const [follow, setFollow, followRef] = useSyncedState(true);
  const [scroll, setScroll] = useState(0);
  const maxScroll = useRef(0);
  const answerers = useRef(new Map<string, { prompt: SetupPrompt; resolve: (answer: string | undefined) => void }>());
  const firstList = useRef(false);

  const allRows = poll.value ?? [];
  const shownRows = useMemo(() => allRows.filter((row) => matchesFilter(row.status, filter)), [allRows, filter]);
  const current = shownRows.find((row) => row.status.name === selected) ?? shownRows[0];
  // Keys typed faster than frames arrive in one read: each must see the selection the one before made.
  const selectedName = useRef<string | undefined>(undefined);
  selectedName.current = current?.status.name;
  const select = (name: string) => {
    selectedName.current = name;
    setSelected(name);
  };
  const selectedRow = () => shownRows.find((row) => row.status.name === selectedName.current) ?? current;
  const pluginReports = reports.state === 'ready' ? reports.value : undefined;

  if (poll.value && !firstList.current) {
    firstList.current = true;
    if (options.onFirstList) setImmediate(options.onFirstList);
  }

  const openView = (next: DashboardView) => {
    setView(next);
    setScroll(0);
    setFollow(true);
  };

  const updateLocal = (name: string, change: LocalAction | undefined) =>
    setLocal((previous) => {
      const next = new Map(previous);
      if (change) next.set(name, change);
      else next.delete(name);
      return next;
    });

  const onSetupEvent = (name: string, event: SetupProgressEvent) => {
    setSetups((previous) => {
      const next = new Map(previous);
      const base = event.type === 'setup-started' ? startSetupProgress(name, service.clock.now()) : (previous.get(name) ?? startSetupProgress(name, service.clock.now()));
      next.set(name, applySetupEvent(base, event, service.clock.now()));
      return next;
    });
    if (event.type === 'setup-started') setView((shown) => (shown.kind === 'list' ? { kind: 'setup', name } : shown));
    if (event.type === 'prompt') setAnswer('');
  };

  const runAction = (action: WorkspaceActionId, row: WorkspaceRow) => {
    const { name } = row.status;
    const verb = action === 'suspend-resume' && suspendOrResume(row.status.state) === 'resume' ? 'resuming' : ACTION_VERBS[action];
    updateLocal(name, { verb });
    setMessage({ level: 'info', text: `${verb} ${name}...` });
    if (SETUP_ACTIONS.has(action)) openView({ kind: 'setup', name });
    const answerPrompt = (prompt: SetupPrompt) =>
      new Promise<string | undefined>((resolve) => {
        answerers.current.set(name, { prompt, resolve });
        setMessage({ level: 'info', text: `setup of ${name} asks: ${prompt.question}` });
      });
    import('./workspace-actions.js')
      .then(({ runWorkspaceAction }) =>
        runWorkspaceAction(service.core, action, row.status, {
          onProgress: (progress) => updateLocal(name, { verb, progress }),
          onSetup: (event) => onSetupEvent(name, event),
          answer: answerPrompt,
        }),
      )
      .then(
        (outcome) => setMessage({ level: 'info', text: outcome }),
        (error: unknown) => setMessage(describeError(error)),
      )
      .finally(() => {
        answerers.current.delete(name);
        updateLocal(name, undefined);
        // A setup view still waiting for a setup that never started (it had nothing to do, or
        // failed before its first step) goes back to the list, where the message says why.
        if (SETUP_ACTIONS.has(action) && !setupsRef.current.has(name)) setView((shown) => (shown.kind === 'setup' && shown.name === name ? { kind: 'list' } : shown));
        poll.refresh();
      });
  };

  const requestAction = (binding: KeyBinding, action: WorkspaceActionId) => {
    const current = selectedRow();
    if (!current) return setMessage({ level: 'info', text: 'no workspace selected' });
    const { name } = current.status;
    const here = localRef.current.get(name);
    if (here) return setMessage({ level: 'busy', text: `${name} is busy here: ${here.verb}`, hint: 'wait until it finishes' });
    const holder = busyHolder(current.status);
    if (holder) return setMessage({ level: 'busy', text: `${name} is busy: ${holder.operation} by process ${holder.pid} since ${holder.since}`, hint: 'wait until it finishes, then try again' });
    // Setup of a workspace set up already has nothing to do: say so at once, and stay on the list.
    if (action === 'setup' && current.status.setup.state === 'ready') {
      return setMessage({ level: 'info', text: `${name} is already set up`, hint: 'reset (R) deletes its VM and sets it up again' });
    }
    if (binding.confirm) {
      setConfirm({ question: binding.confirm.replaceAll('{name}', name), onYes: () => runAction(action, current) });
      return;
    }
    runAction(action, current);
  };

  const move = (by: Extract<DashboardCommand, { kind: 'move' }>['by']) => {
    const page = Math.max(1, height - 6);
    if (viewRef.current.kind === 'list') {
      if (shownRows.length === 0) return;
      const index = Math.max(0, shownRows.findIndex((row) => row.status.name === selectedRow()?.status.name));
      const target = { up: index - 1, down: index + 1, 'page-up': index - page, 'page-down': index + page, top: 0, bottom: shownRows.length - 1 }[by];
      select(shownRows[Math.max(0, Math.min(shownRows.length - 1, target))]!.status.name);
      return;
    }
    // Scrolling while following starts from the bottom, where following showed the log.
    const following = followRef.current && viewRef.current.kind === 'logs';
    setFollow(false);
    setScroll((offset) => {
      const from = following ? maxScroll.current : Math.min(offset, maxScroll.current);
      const target = { up: from - 1, down: from + 1, 'page-up': from - page, 'page-down': from + page, top: 0, bottom: maxScroll.current }[by];
      return Math.max(0, Math.min(maxScroll.current, target));
    });
  };

  const quit = () => {
    if (localRef.current.size === 0) return exit();
    const running = [...localRef.current].map(([name, action]) => `${action.verb} ${name}`).join(', ');
    setConfirm({
      question: `Quit while this runs: ${running}? It stops halfway; run it again later to finish.`,
      onYes: () => {
        options.onAbandon?.();
        exit();
      },
    });
  };

  const run = (binding: KeyBinding) => {
    const { command } = binding;
    switch (command.kind) {
      case 'quit':
        return quit();
      case 'back':
        return openView({ kind: 'list' });
      case 'filter':
        setFiltering(true);
        return;
      case 'follow':
        // Pausing keeps the screen where it is: at the newest events.
        if (followRef.current) setScroll(maxScroll.current);
        setFollow(!followRef.current);
        return;
      case 'move':
        return move(command.by);
      case 'action':
        if (options.readOnly && offWhenReadOnly(binding)) {
          return setMessage({ level: 'info', text: `read-only dashboard: ${binding.footer ?? command.action} is off`, hint: 'open `twinbox dashboard` without --read-only to act' });
        }
        return requestAction(binding, command.action);
      case 'view': {
        if (command.view === 'help' || command.view === 'plugins' || command.view === 'doctor') return openView({ kind: command.view });
        const row = selectedRow();
        if (!row) return setMessage({ level: 'info', text: 'no workspace selected' });
        return openView({ kind: command.view, name: row.status.name });
      }
    }
  };

  /** Printable text into whichever line is being typed: setup's answer, or the filter. */
  const typeText = (text: string) => {
    const shown = viewRef.current;
    if (shown.kind === 'setup' && setupsRef.current.get(shown.name)?.question) setAnswer((typed) => typed + text);
    else setFilter((typed) => typed + text);
  };

  /** One key press (`name`), or a run of printable text that arrived in one read (`name` undefined). */
  const press = (name: string | undefined, text: string) => {
    const asking = confirmRef.current;
    if (asking) {
      setConfirm(undefined);
      if (name === 'y' || name === 'Y') asking.onYes();
      else setMessage({ level: 'info', text: 'cancelled: nothing was changed' });
      return;
    }
    const shown = viewRef.current;
    if (shown.kind === 'setup' && setupsRef.current.get(shown.name)?.question && name !== 'ctrl-c' && name !== 'escape') {
      if (name === 'return') {
        const waiting = answerers.current.get(shown.name);
        const typed = answerRef.current.trim();
        const problem = typed === '' ? undefined : waiting?.prompt.validate?.(typed);
        if (problem) return setMessage({ level: 'error', text: `cannot use "${typed}": ${problem}`, hint: 'type another answer, or clear it for the default' });
        waiting?.resolve(typed === '' ? undefined : typed);
        answerers.current.delete(shown.name);
        setAnswer('');
      } else if (name === 'backspace') setAnswer((typed) => typed.slice(0, -1));
      else typeText(text);
      return;
    }
    if (filteringRef.current && name !== 'ctrl-c' && name !== 'up' && name !== 'down') {
      if (name === 'return') setFiltering(false);
      else if (name === 'escape') {
        setFiltering(false);
        setFilter('');
      } else if (name === 'backspace') setFilter((typed) => typed.slice(0, -1));
      else typeText(text);
      return;
    }
    if (name === undefined) {
      for (const character of text) press(character, character);
      return;
    }
    const binding = bindingFor(name, shown.kind === 'list' ? 'list' : 'views');
    if (binding) run(binding);
  };

  const onKey = (input: string, key: Key) => {
    const name = keyName(input, key);
    if (name !== undefined) return press(name, key.ctrl || key.meta ? '' : input);
    if (key.ctrl || key.meta) return;
    for (const piece of splitTyped(input)) press(piece.name, piece.text);
  };
  // Ink re-subscribes a new handler only after the frame is drawn; a key pressed in between must
  // reach this render's handler, not the one of the frame before (which may not know the rows yet).
  const latestOnKey = useRef(onKey);
  latestOnKey.current = onKey;
  useInput(useCallback((input: string, key: Key) => latestOnKey.current(input, key), []));

  const arrows = { up: theme.symbols.arrowUp, down: theme.symbols.arrowDown };
  const scope = view.kind === 'list' ? 'list' : 'views';
  const hints = KEY_TABLE.filter((binding) => binding.footer && (binding.scope === scope || binding.scope === 'everywhere') && !(options.readOnly && offWhenReadOnly(binding))).map((binding) => ({
    key: keyLabel(binding.keys[0]!, arrows),
    label: binding.footer!,
  }));
  const bodyHeight = Math.max(1, height - 4 - (confirm ? confirmDialogHeight(confirm.question, width) : 0));
  const titleParts = [
    options.readOnly ? 'twinbox dashboard (read-only)' : 'twinbox dashboard',
    `${allRows.length} workspace${allRows.length === 1 ? '' : 's'}`,
    filter || filtering ? `filter: ${filter}${filtering ? '_' : ''}` : undefined,
    view.kind === 'list' ? undefined : 'name' in view ? `${view.kind}: ${view.name}` : view.kind,
  ].filter(Boolean);

  const body = (() => {
    switch (view.kind) {
      case 'help':
        return <HelpView readOnly={options.readOnly} width={width} height={bodyHeight} offset={scroll} maxOffset={maxScroll} />;
      case 'details':
        return <DetailView service={service} name={view.name} width={width} height={bodyHeight} offset={scroll} maxOffset={maxScroll} revision={JSON.stringify(allRows.find((row) => row.status.name === view.name)?.status ?? null)} />;
      case 'logs':
        return <LogsView service={service} name={view.name} follow={follow} width={width} height={bodyHeight} offset={scroll} maxOffset={maxScroll} />;
      case 'plugins':
        return <PluginsView service={service} width={width} height={bodyHeight} offset={scroll} maxOffset={maxScroll} />;
      case 'doctor':
        return <DoctorView service={service} width={width} height={bodyHeight} offset={scroll} maxOffset={maxScroll} />;
      case 'setup': {
        const progress = setups.get(view.name);
        if (!progress) return <Text color={theme.color('muted')}>{fitText(`waiting for the setup of ${view.name} to start...`, width, theme.symbols)}</Text>;
        return <SetupView progress={progress} answer={answer} clock={service.clock} width={width} height={bodyHeight} />;
      }
      case 'list':
        if (!poll.value) return <Text color={theme.color('muted')}>reading the workspaces...</Text>;
        if (allRows.length === 0) return <Text>{fitText('no workspaces are installed: `twinbox install PACKAGE` installs one, `twinbox demo` sets up a demo', width, theme.symbols)}</Text>;
        if (shownRows.length === 0) return <Text>{fitText(`no workspace matches "${filter}" (Esc clears the filter)`, width, theme.symbols)}</Text>;
      {
        // The list takes the rows it needs; the rows it leaves show the selected workspace.
        const listHeight = Math.min(bodyHeight, shownRows.length + 1);
        const paneHeight = bodyHeight - listHeight - 1;
        const list = <WorkspaceList rows={shownRows} selected={current?.status.name} local={local} reports={pluginReports} width={width} height={listHeight} />;
        if (!current || paneHeight < PANE_MIN_ROWS) return list;
        return (
          <>
            {list}
            <Text> </Text>
            <DetailPane service={service} row={current} width={width} height={paneHeight} />
          </>
        );
      }
    }
  })();

  const summary = current ? summaryLine(current, pluginReports, local.get(current.status.name)) : poll.error ? `cannot read the workspaces: ${poll.error}` : '';
  const messageRole = message?.level === 'error' ? 'error' : message?.level === 'busy' ? 'warn' : 'muted';
  const messageText = message ? `${message.level === 'error' ? `${theme.symbols.fail} ` : message.level === 'busy' ? `${theme.symbols.warning} ` : ''}${message.text}${message.hint ? ` · hint: ${message.hint}` : ''}` : '';

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold={theme.capabilities.styles} color={theme.color('accent')}>
        {fitText(titleParts.join(' · '), width, theme.symbols)}
      </Text>
      <Box height={bodyHeight} flexDirection="column">
        {body}
      </Box>
      {confirm ? <ConfirmDialog question={confirm.question} width={width} /> : null}
      <Text color={theme.color(poll.error ? 'error' : 'muted')}>{fitText(summary, width, theme.symbols) || ' '}</Text>
      <Text color={theme.color(messageRole)}>{fitText(messageText, width, theme.symbols) || ' '}</Text>
      <KeyHints hints={hints} width={width} />
    </Box>
  );
}
