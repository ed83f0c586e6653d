import type { VisibleApp } from './menu-filter.js';
import type { MenuAction } from './menu-keys.js';

/** What the keys change: the filter, and the selected app (by key, so a reorder keeps it). */
export interface NavState {
  query: string;
  selectedKey?: string;
}

/** The index of the selected app among `apps`; the first when it is not among them. */
export function selectedIndex(state: NavState, apps: readonly VisibleApp[]): number {
  if (state.selectedKey === undefined) return 0;
  return Math.max(0, apps.findIndex((app) => app.entry.key === state.selectedKey));
}

/**
 * The state after one key. `apps` are those `state.query` lets through: keys can arrive in one
 * burst (a paste, fast typing over SSH) before the screen is redrawn, so each is applied to
 * the state the previous one left, never to what the screen last showed.
 */
export function navigate(state: NavState, action: MenuAction, apps: readonly VisibleApp[], pageSize: number): NavState {
  const at = (index: number): NavState => ({ query: state.query, selectedKey: apps[Math.min(Math.max(0, index), apps.length - 1)]?.entry.key });
  const current = selectedIndex(state, apps);
  switch (action.type) {
    case 'type':
      return { query: state.query + action.text };
    case 'erase':
      return state.query === '' ? state : { query: state.query.slice(0, -1) };
    case 'clear':
      return state.query === '' ? state : { query: '' };
    case 'move':
      return at(current + action.by);
    case 'page':
      return at(current + action.by * pageSize);
    case 'first':
      return at(0);
    case 'last':
      return at(apps.length - 1);
    default:
      return state;
  }
}
