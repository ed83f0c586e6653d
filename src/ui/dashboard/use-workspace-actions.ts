import { useRef, type MutableRefObject } from 'react';
import type { SetupPrompt } from '../../core/setup/prompts.js';
import type { DashboardService } from './dashboard-service.js';
import { actionVerb, describeError, openView, SETUP_ACTIONS, withLocal, withSetupEvent, type DashboardState, type Message } from './dashboard-state.js';
import type { KeyBinding } from './key-table.js';
import { busyHolder, rowKey, type WorkspaceActionId, type WorkspaceRow } from './workspace-row.js';

type WorkspaceActionsModule = typeof import('./workspace-actions.js');

let actionsModule: Promise<WorkspaceActionsModule> | undefined;

/**
 * The actions' code (setup, install, uninstall…), loaded once: not before the dashboard's first
 * frame, which does not need it, but soon after the list is on screen (`preloadWorkspaceActions`),
 * so that the first action's key finds it loaded.
 */
function workspaceActions(): Promise<WorkspaceActionsModule> {
  actionsModule ??= import('./workspace-actions.js');
  return actionsModule;
}

export function preloadWorkspaceActions(): void {
  // A failure is the first action's to report.
  workspaceActions().catch(() => undefined);
}

/** The dashboard's state, read at once by key handlers (keys that arrived in one read) and changed as one. */
export interface DashboardStore {
  ref: MutableRefObject<DashboardState>;
  update(change: (state: DashboardState) => DashboardState): void;
}

export interface WorkspaceActions {
  /** The key's action on `row`: refused with a message, asked first when the binding says so, or run at once. */
  request(binding: KeyBinding, action: WorkspaceActionId, row: WorkspaceRow | undefined): void;
  /** Sends what was typed to the setup of `name` that asks (empty: its default), unless its check refuses it. */
  answer(name: string, typed: string): void;
}

/** Runs the workspace actions of the dashboard's keys, each with its progress, messages and setup's questions on screen. */
export function useWorkspaceActions(service: DashboardService, store: DashboardStore, refresh: () => void): WorkspaceActions {
  const { ref, update } = store;
  const answerers = useRef(new Map<string, { prompt: SetupPrompt; resolve: (answer: string | undefined) => void }>());

  const say = (message: Message) => update((state) => ({ ...state, message }));

  /** An action on a fleet host's workspace: that host's twinbox runs it, over SSH. */
  const runRemote = (action: WorkspaceActionId, row: WorkspaceRow) => {
    const key = rowKey(row);
    const verb = actionVerb(action, row);
    const fleet = service.fleet!;
    update((state) => ({ ...withLocal(state, key, { verb, progress: `on ${row.host}` }), message: { level: 'info' as const, text: `${verb} ${key}...` } }));
    import('./remote-actions.js')
      .then(({ runRemoteAction }) => runRemoteAction(fleet, action, row))
      .then(
        (outcome) => say({ level: 'info', text: outcome }),
        (error: unknown) => say(describeError(error)),
      )
      .finally(() => {
        update((state) => withLocal(state, key, undefined));
        refresh();
      });
  };

  const run = (action: WorkspaceActionId, row: WorkspaceRow) => {
    if (row.host !== undefined) return runRemote(action, row);
    const { name } = row.status;
    const verb = actionVerb(action, row);
    update((state) => {
      const started = { ...withLocal(state, name, { verb }), message: { level: 'info' as const, text: `${verb} ${name}...` } };
      return SETUP_ACTIONS.has(action) ? openView(started, { kind: 'setup', name }) : started;
    });
    const answerPrompt = (prompt: SetupPrompt) =>
      new Promise<string | undefined>((resolve) => {
        answerers.current.set(name, { prompt, resolve });
        say({ level: 'info', text: `setup of ${name} asks: ${prompt.question}` });
      });
    workspaceActions()
      .then(({ runWorkspaceAction }) =>
        runWorkspaceAction(service.core, action, row.status, {
          onProgress: (progress) => update((state) => withLocal(state, name, { verb, progress })),
          onSetup: (event) => update((state) => withSetupEvent(state, name, event, service.clock.now())),
          answer: answerPrompt,
        }),
      )
      .then(
        (outcome) => say({ level: 'info', text: outcome }),
        (error: unknown) => say(describeError(error)),
      )
      .finally(() => {
        answerers.current.delete(name);
        update((state) => {
          const ended = withLocal(state, name, undefined);
          // A setup view still waiting for a setup that never started (it had nothing to do, or
          // failed before its first step) goes back to the list, where the message says why.
          const waiting = SETUP_ACTIONS.has(action) && !ended.setups.has(name) && ended.view.kind === 'setup' && ended.view.name === name;
          return waiting ? { ...ended, view: { kind: 'list' } } : ended;
        });
        refresh();
      });
  };

  const request = (binding: KeyBinding, action: WorkspaceActionId, row: WorkspaceRow | undefined) => {
    if (!row) return say({ level: 'info', text: 'no workspace selected' });
    const name = rowKey(row);
    const here = ref.current.local.get(name);
    if (here) return say({ level: 'busy', text: `${name} is busy here: ${here.verb}`, hint: 'wait until it finishes' });
    const holder = busyHolder(row.status);
    if (holder) return say({ level: 'busy', text: `${name} is busy: ${holder.operation} by process ${holder.pid} since ${holder.since}`, hint: 'wait until it finishes, then try again' });
    // Setup of a workspace set up already has nothing to do: say so at once, and stay on the list.
    if (action === 'setup' && row.status.setup.state === 'ready') return say({ level: 'info', text: `${name} is already set up`, hint: 'reset (R) deletes its VM and sets it up again' });
    if (binding.confirm) {
      const question = binding.confirm.replaceAll('{name}', name);
      update((state) => ({ ...state, confirm: { question, onYes: () => run(action, row) } }));
      return;
    }
    run(action, row);
  };

  const answer = (name: string, typed: string) => {
    const waiting = answerers.current.get(name);
    const problem = typed === '' ? undefined : waiting?.prompt.validate?.(typed);
    if (problem) return say({ level: 'error', text: `cannot use "${typed}": ${problem}`, hint: 'type another answer, or clear it for the default' });
    waiting?.resolve(typed === '' ? undefined : typed);
    answerers.current.delete(name);
    update((state) => ({ ...state, answer: '' }));
  };

  return { request, answer };
}
