import { useApp, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import type { HostStreamState } from '../../core/fleet/host-stream-state.js';
import type { PluginReport } from '../../core/plugins/plugin-registry.js';
import { keyName, splitTyped } from '../components/key-name.js';
import { useLoad } from '../hooks/use-load.js';
import { usePoll } from '../hooks/use-poll.js';
import { useSyncedState } from '../hooks/use-synced-state.js';
import type { DashboardService } from './dashboard-service.js';
import { askingSetup, INITIAL_STATE, openView, type DashboardState, type DashboardView } from './dashboard-state.js';
import { bindingFor, offWhenReadOnly, type DashboardCommand, type KeyBinding } from './key-table.js';
import { preloadWorkspaceActions, useWorkspaceActions } from './use-workspace-actions.js';
import { matchesFilter, rowKey, type WorkspaceRow } from './workspace-row.js';

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

/** What the dashboard's views draw, and the one handler of its keys. */
export interface Dashboard {
  state: DashboardState;
  /** Every workspace, once the first read is done. */
  rows?: WorkspaceRow[];
  /** The last read's failure, while the rows of the one before stay shown. */
  rowsError?: string;
  /** The rows the filter lets through, and the selected one among them. */
  shownRows: WorkspaceRow[];
  current?: WorkspaceRow;
  /** The hypervisor plugins' reports, detected once the list is on screen. */
  pluginReports?: PluginReport[];
  /** Each fleet host's connection, when the dashboard shows other hosts (the `hosts` setting, or --host). */
  hosts?: HostStreamState[];
  /** The furthest a scrolling view can scroll; the view sets it as it draws. */
  maxScroll: MutableRefObject<number>;
  /** One key press as Ink reports it (several, when keys arrived in one read). */
  onKey(input: string, key: Key): void;
}

/**
 * Work the list can wait for is started this long after it is on screen: detecting every plugin
 * (it imports them all and runs their probes) for the hypervisor labels, and loading the actions'
 * code. By then the first keys are handled; a dashboard closed at once never does either.
 */
const DEFERRED_START_MS = 300;

/** The dashboard's state and what its keys do: the rows polled, the views, the filter, the actions. `height` is the screen's, for paging. */
export function useDashboard(service: DashboardService, options: DashboardOptions, height: number): Dashboard {
  const { exit } = useApp();
  const poll = usePoll(useCallback(() => service.rows(options.pingTimeoutMs), [service, options.pingTimeoutMs]), { intervalMs: options.pollMs, quietIntervalMs: options.quietPollMs }, service.clock, options.firstRows);
  const listShown = poll.value !== undefined;
  // A fleet host's stream changed: read the rows again now rather than at the next poll.
  const refresh = useRef(poll.refresh);
  refresh.current = poll.refresh;
  const [hosts, setHosts] = useState(() => (service.fleet ? service.hosts() : undefined));
  useEffect(
    () =>
      service.fleet?.onChange(() => {
        setHosts(service.hosts());
        refresh.current();
      }),
    [service],
  );
  const reports = useLoad(
    async (signal) => {
      if (!listShown) return undefined;
      await service.clock.sleep(DEFERRED_START_MS, signal);
      preloadWorkspaceActions();
      return service.plugins();
    },
    [service, listShown],
  );
  const { onFirstList } = options;
  useEffect(() => {
    // After this commit, whose frame is the first with the list.
    if (listShown && onFirstList) setImmediate(onFirstList);
    // The fleet hosts' streams (one ssh each) start once this machine's list is on screen,
    // which does not wait for them: each host shows as connecting until its stream answers.
    if (listShown) service.fleet?.start();
  }, [listShown]);

  // Key handlers read the latest state through its ref (see useSyncedState).
  const [state, update, ref] = useSyncedState<DashboardState>(INITIAL_STATE);
  const store = { ref, update };
  const actions = useWorkspaceActions(service, store, poll.refresh);
  const maxScroll = useRef(0);

  const allRows = poll.value ?? [];
  const shownRows = useMemo(() => allRows.filter((row) => matchesFilter(row.status, state.filter)), [allRows, state.filter]);
  const current = shownRows.find((row) => rowKey(row) === state.selected) ?? shownRows[0];
  // Keys typed faster than frames arrive in one read: each must see the selection the one before made.
  const selectedRow = () => shownRows.find((row) => rowKey(row) === ref.current.selected) ?? current;
  const say = (text: string, hint?: string) => update((latest) => ({ ...latest, message: { level: 'info', text, hint } }));
  const show = (view: DashboardView) => update((latest) => openView(latest, view));

  const move = (by: Extract<DashboardCommand, { kind: 'move' }>['by']) => {
    const page = Math.max(1, height - 6);
    if (ref.current.view.kind === 'list') {
      if (shownRows.length === 0) return;
      const from = selectedRow();
      const index = Math.max(0, shownRows.findIndex((row) => from !== undefined && rowKey(row) === rowKey(from)));
      const target = { up: index - 1, down: index + 1, 'page-up': index - page, 'page-down': index + page, top: 0, bottom: shownRows.length - 1 }[by];
      const selected = rowKey(shownRows[Math.max(0, Math.min(shownRows.length - 1, target))]!);
      update((latest) => ({ ...latest, selected }));
      return;
    }
    update((latest) => {
      // Scrolling while following starts from the bottom, where following showed the log.
      const from = latest.follow && latest.view.kind === 'logs' ? maxScroll.current : Math.min(latest.scroll, maxScroll.current);
      const target = { up: from - 1, down: from + 1, 'page-up': from - page, 'page-down': from + page, top: 0, bottom: maxScroll.current }[by];
      return { ...latest, follow: false, scroll: Math.max(0, Math.min(maxScroll.current, target)) };
    });
  };

  const quit = () => {
    const { local } = ref.current;
    if (local.size === 0) return exit();
    const running = [...local].map(([name, action]) => `${action.verb} ${name}`).join(', ');
    const onYes = () => {
      options.onAbandon?.();
      exit();
    };
    update((latest) => ({ ...latest, confirm: { question: `Quit while this runs: ${running}? It stops halfway; run it again later to finish.`, onYes } }));
  };

  const run = (binding: KeyBinding) => {
    const { command } = binding;
    switch (command.kind) {
      case 'quit':
        return quit();
      case 'back':
        return show({ kind: 'list' });
      case 'filter':
        return update((latest) => ({ ...latest, filtering: true }));
      case 'follow':
        // Pausing keeps the screen where it is: at the newest events.
        return update((latest) => ({ ...latest, follow: !latest.follow, scroll: latest.follow ? maxScroll.current : latest.scroll }));
      case 'move':
        return move(command.by);
      case 'action':
        if (options.readOnly && offWhenReadOnly(binding)) return say(`read-only dashboard: ${binding.footer ?? command.action} is off`, 'open `twinbox dashboard` without --read-only to act');
        return actions.request(binding, command.action, selectedRow());
      case 'view': {
        if (command.view === 'help' || command.view === 'plugins' || command.view === 'doctor') return show({ kind: command.view });
        const row = selectedRow();
        if (!row) return say('no workspace selected');
        if (row.host !== undefined) {
          const address = service.fleet?.hosts.find((host) => host.name === row.host)?.address ?? row.host;
          // Read on that host, where they are: the message line names the command.
          const logs = command.view === 'logs';
          return say(`${logs ? 'event log' : 'details'} of ${rowKey(row)}: \`twinbox --host ${address} ${logs ? 'logs' : 'status'} ${row.status.name}\``);
        }
        return show({ kind: command.view, name: row.status.name });
      }
    }
  };

  /** Printable text into whichever line is being typed: setup's answer, or the filter. */
  const typeText = (text: string) =>
    update((latest) => (askingSetup(latest) ? { ...latest, answer: latest.answer + text } : { ...latest, filter: latest.filter + text }));

  /** One key press (`name`), or a run of printable text that arrived in one read (`name` undefined). */
  const press = (name: string | undefined, text: string) => {
    const latest = ref.current;
    const asking = latest.confirm;
    if (asking) {
      update((now) => ({ ...now, confirm: undefined }));
      if (name === 'y' || name === 'Y') asking.onYes();
      else say('cancelled: nothing was changed');
      return;
    }
    const answering = askingSetup(latest);
    if (answering && name !== 'ctrl-c' && name !== 'escape') {
      if (name === 'return') actions.answer(answering, latest.answer.trim());
      else if (name === 'backspace') update((now) => ({ ...now, answer: now.answer.slice(0, -1) }));
      else typeText(text);
      return;
    }
    if (latest.filtering && name !== 'ctrl-c' && name !== 'up' && name !== 'down') {
      if (name === 'return') update((now) => ({ ...now, filtering: false }));
      else if (name === 'escape') update((now) => ({ ...now, filtering: false, filter: '' }));
      else if (name === 'backspace') update((now) => ({ ...now, filter: now.filter.slice(0, -1) }));
      else typeText(text);
      return;
    }
    if (name === undefined) {
      for (const character of text) press(character, character);
      return;
    }
    const binding = bindingFor(name, latest.view.kind === 'list' ? 'list' : 'views');
    if (binding) run(binding);
  };

  const onKey = (input: string, key: Key) => {
    const name = keyName(input, key);
    if (name !== undefined) return press(name, key.ctrl || key.meta ? '' : input);
    if (key.ctrl || key.meta) return;
    for (const piece of splitTyped(input)) press(piece.name, piece.text);
  };

  return {
    state,
    rows: poll.value,
    rowsError: poll.error,
    shownRows,
    current,
    pluginReports: reports.state === 'ready' ? reports.value : undefined,
    hosts,
    maxScroll,
    onKey,
  };
}
