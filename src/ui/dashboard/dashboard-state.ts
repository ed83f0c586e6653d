import { isTwinboxError } from '../../plugin-api/index.js';
import type { SetupProgressEvent } from '../../core/setup/progress-events.js';
import { applySetupEvent, startSetupProgress, type SetupProgress } from './setup-progress.js';
import { suspendOrResume, type LocalAction, type WorkspaceActionId, type WorkspaceRow } from './workspace-row.js';

export type DashboardView =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'details'; name: string }
  | { kind: 'logs'; name: string }
  | { kind: 'setup'; name: string }
  | { kind: 'plugins' }
  | { kind: 'doctor' };

export type Message = { level: 'info' | 'busy' | 'error'; text: string; hint?: string };

export interface Confirmation {
  question: string;
  onYes(): void;
}

/** Everything on the dashboard that keys and actions change; the rows come from the poll. */
export interface DashboardState {
  view: DashboardView;
  filter: string;
  /** The filter line is being typed. */
  filtering: boolean;
  /** A question waiting for y (anything else cancels). */
  confirm?: Confirmation;
  /** Each workspace's first-time setup run from here, as its setup view shows it. */
  setups: ReadonlyMap<string, SetupProgress>;
  /** What is typed so far in answer to setup's question. */
  answer: string;
  /** The workspace picked with the arrows (the first shown when it is undefined or filtered out). */
  selected?: string;
  message?: Message;
  /** The actions this dashboard runs now, by workspace. */
  local: ReadonlyMap<string, LocalAction>;
  /** The logs view follows new events. */
  follow: boolean;
  /** The first line a scrolling view shows. */
  scroll: number;
}

export const INITIAL_STATE: DashboardState = {
  view: { kind: 'list' },
  filter: '',
  filtering: false,
  setups: new Map(),
  answer: '',
  local: new Map(),
  follow: true,
  scroll: 0,
};

/** A view opens at its top, following (the logs view) until a key scrolls it. */
export function openView(state: DashboardState, view: DashboardView): DashboardState {
  return { ...state, view, scroll: 0, follow: true };
}

/** The action running on `name` changed (its progress), started, or ended (`change` undefined). */
export function withLocal(state: DashboardState, name: string, change: LocalAction | undefined): DashboardState {
  const local = new Map(state.local);
  if (change) local.set(name, change);
  else local.delete(name);
  return { ...state, local };
}

/** One of setup's progress events for `name`: a setup that starts opens its view from the list; a question clears the answer line. */
export function withSetupEvent(state: DashboardState, name: string, event: SetupProgressEvent, now: number): DashboardState {
  const setups = new Map(state.setups);
  const base = event.type === 'setup-started' ? startSetupProgress(name, now) : (state.setups.get(name) ?? startSetupProgress(name, now));
  setups.set(name, applySetupEvent(base, event, now));
  const view: DashboardView = event.type === 'setup-started' && state.view.kind === 'list' ? { kind: 'setup', name } : state.view;
  return { ...state, setups, view, answer: event.type === 'prompt' ? '' : state.answer };
}

/** The setup question the screen asks now, if the setup view of a workspace that asks one is open. */
export function askingSetup(state: DashboardState): string | undefined {
  const { view } = state;
  return view.kind === 'setup' && state.setups.get(view.name)?.question ? view.name : undefined;
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

/** What the list and the message line say while `action` runs on `row`. */
export function actionVerb(action: WorkspaceActionId, row: WorkspaceRow): string {
  return action === 'suspend-resume' && suspendOrResume(row.status.state) === 'resume' ? 'resuming' : ACTION_VERBS[action];
}

/** Actions that run first-time setup from its start: the setup view opens at once. */
export const SETUP_ACTIONS: ReadonlySet<WorkspaceActionId> = new Set<WorkspaceActionId>(['setup', 'reset']);

export function describeError(error: unknown): Message {
  if (isTwinboxError(error)) return { level: error.code === 'busy' ? 'busy' : 'error', text: error.message, hint: error.hint };
  return { level: 'error', text: `unexpected error: ${(error as Error)?.message ?? String(error)}`, hint: 'run `twinbox status` or `twinbox logs` for more' };
}
