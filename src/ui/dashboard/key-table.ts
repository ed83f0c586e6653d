import type { WorkspaceActionId } from './workspace-row.js';

/** What a key does; workspace actions are the ones that change the selected workspace. */
export type DashboardCommand =
  | { kind: 'action'; action: WorkspaceActionId }
  | { kind: 'view'; view: 'details' | 'logs' | 'plugins' | 'doctor' | 'help' }
  | { kind: 'move'; by: 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom' }
  | { kind: 'filter' }
  | { kind: 'follow' }
  | { kind: 'back' }
  | { kind: 'quit' };

/** Where a key works: the workspace list, the other views (details, logs, plugins, doctor, setup, help), or both. */
export type KeyScope = 'list' | 'views' | 'everywhere';

export interface KeyBinding {
  /** Key names as `keyName` reports them: a character, or up/down/pageup/pagedown/return/escape/ctrl-c. */
  keys: readonly string[];
  command: DashboardCommand;
  scope: KeyScope;
  /** Shown in the footer, in this order, as far as the width allows; undefined: only in help. */
  footer?: string;
  /** One line in `?` help and the README. */
  help: string;
  /** Asked before the action runs: what will be lost. `{name}` is the workspace. */
  confirm?: string;
}

/**
 * The one table of the dashboard's keys. The footer, the `?` help and the README's key table are
 * all made from it, so they cannot drift from what the keys do.
 */
export const KEY_TABLE: readonly KeyBinding[] = [
  { keys: ['?'], command: { kind: 'view', view: 'help' }, scope: 'everywhere', footer: 'help', help: 'this help: every key' },
  { keys: ['q', 'ctrl-c'], command: { kind: 'quit' }, scope: 'everywhere', footer: 'quit', help: 'leave the dashboard (workspaces keep running)' },
  { keys: ['/'], command: { kind: 'filter' }, scope: 'list', footer: 'filter', help: 'filter workspaces by name: type, Enter keeps the filter, Esc clears it' },
  { keys: ['up', 'k'], command: { kind: 'move', by: 'up' }, scope: 'everywhere', help: 'select the workspace above (scroll up in a view)' },
  { keys: ['down', 'j'], command: { kind: 'move', by: 'down' }, scope: 'everywhere', help: 'select the workspace below (scroll down in a view)' },
  { keys: ['pageup'], command: { kind: 'move', by: 'page-up' }, scope: 'everywhere', help: 'one page up' },
  { keys: ['pagedown'], command: { kind: 'move', by: 'page-down' }, scope: 'everywhere', help: 'one page down' },
  { keys: ['g'], command: { kind: 'move', by: 'top' }, scope: 'everywhere', help: 'to the top' },
  { keys: ['G'], command: { kind: 'move', by: 'bottom' }, scope: 'everywhere', help: 'to the bottom' },
  { keys: ['s'], command: { kind: 'action', action: 'start' }, scope: 'list', footer: 'start', help: 'start the workspace (first-time setup runs first if it never ran)' },
  { keys: ['S'], command: { kind: 'action', action: 'stop' }, scope: 'list', footer: 'stop', help: 'shut the workspace down gracefully (forced after 60 s)' },
  {
    keys: ['F'],
    command: { kind: 'action', action: 'force-stop' },
    scope: 'list',
    footer: 'force stop',
    help: 'power the VM off at once (asks first)',
    confirm: 'Force stop {name}? The VM is powered off at once: unsaved work in its apps is lost.',
  },
  { keys: ['p'], command: { kind: 'action', action: 'suspend-resume' }, scope: 'list', footer: 'suspend/resume', help: 'suspend the workspace (memory saved to disk), or resume a suspended one' },
  { keys: ['r'], command: { kind: 'action', action: 'restart' }, scope: 'list', footer: 'restart', help: 'reboot the workspace' },
  {
    keys: ['R'],
    command: { kind: 'action', action: 'reset' },
    scope: 'list',
    footer: 'reset',
    help: 'delete the VM and set it up again from the base image (asks first)',
    confirm: 'Reset {name}? Its VM is deleted with everything in it (files, programs, settings made in the guest) and first-time setup runs again.',
  },
  { keys: ['n'], command: { kind: 'action', action: 'snapshot' }, scope: 'list', footer: 'snapshot', help: 'take a snapshot of the VM, named by the time (snap-YYYYMMDD-HHMMSS)' },
  { keys: ['u'], command: { kind: 'action', action: 'setup' }, scope: 'list', footer: 'setup', help: 'run (or resume) first-time setup, with its progress on screen' },
  {
    keys: ['X'],
    command: { kind: 'action', action: 'uninstall' },
    scope: 'list',
    help: 'uninstall the workspace (asks first)',
    confirm: 'Uninstall {name}? Its VM and disks, its installed package and its folder (event log, setup journal) are deleted.',
  },
  { keys: ['return', 'd'], command: { kind: 'view', view: 'details' }, scope: 'list', footer: 'details', help: 'details: settings and their sources, apps, snapshots, last setup' },
  { keys: ['l'], command: { kind: 'view', view: 'logs' }, scope: 'list', footer: 'logs', help: "the workspace's event log, following new events" },
  { keys: ['P'], command: { kind: 'view', view: 'plugins' }, scope: 'list', footer: 'plugins', help: 'plugins: loaded, unavailable, broken or denied, with the reason' },
  { keys: ['D'], command: { kind: 'view', view: 'doctor' }, scope: 'list', footer: 'doctor', help: 'doctor: what this machine offers and how to fix what is missing' },
  { keys: ['f'], command: { kind: 'follow' }, scope: 'views', footer: 'follow', help: 'logs view: pause or resume following new events' },
  { keys: ['escape', 'backspace'], command: { kind: 'back' }, scope: 'views', footer: 'back', help: 'back to the workspace list' },
];

/** Whether a binding is off in a read-only dashboard (`--read-only`): every workspace action is. */
export function offWhenReadOnly(binding: KeyBinding): boolean {
  return binding.command.kind === 'action';
}

/** The binding a key has where it was pressed. */
export function bindingFor(name: string, where: 'list' | 'views'): KeyBinding | undefined {
  return KEY_TABLE.find((binding) => binding.keys.includes(name) && (binding.scope === where || binding.scope === 'everywhere'));
}

/** How a key name is written on screen and in the README. */
export function keyLabel(name: string, arrows: { up: string; down: string }): string {
  switch (name) {
    case 'up':
      return arrows.up;
    case 'down':
      return arrows.down;
    case 'pageup':
      return 'PgUp';
    case 'pagedown':
      return 'PgDn';
    case 'return':
      return 'Enter';
    case 'escape':
      return 'Esc';
    case 'backspace':
      return 'Bksp';
    case 'ctrl-c':
      return 'Ctrl-C';
    default:
      return name;
  }
}

/** Keys that edit text rather than run a command: the filter line and setup's questions. */
export const TEXT_ENTRY: ReadonlyArray<{ where: string; help: string }> = [
  { where: 'filter (/)', help: 'type to filter; Bksp deletes; Enter keeps the filter; Esc clears it' },
  { where: 'setup question', help: 'type the answer; Bksp deletes; Enter sends it (empty: the default shown)' },
  { where: 'confirmation', help: 'y does it; n, Esc or Enter cancel (nothing is changed)' },
];

const SCOPE_TITLES: Record<KeyScope, string> = {
  everywhere: 'Everywhere',
  list: 'Workspace list',
  views: 'Details, logs, plugins, doctor, setup and help views',
};

/** The help screen's and README's rows: every binding, grouped by where it works. */
export function helpRows(arrows: { up: string; down: string }, readOnly = false): Array<{ title: string; rows: Array<{ keys: string; help: string }> }> {
  const scopes: KeyScope[] = ['everywhere', 'list', 'views'];
  return [
    ...scopes.map((scope) => ({
      title: SCOPE_TITLES[scope],
      rows: KEY_TABLE.filter((binding) => binding.scope === scope).map((binding) => ({
        keys: binding.keys.map((key) => keyLabel(key, arrows)).join(' '),
        help: readOnly && offWhenReadOnly(binding) ? `(off: read-only) ${binding.help}` : binding.help,
      })),
    })),
    { title: 'Typing', rows: TEXT_ENTRY.map((entry) => ({ keys: entry.where, help: entry.help })) },
  ];
}
