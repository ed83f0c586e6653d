import type { VisibleApp } from './menu-filter.js';

/** One line of the list: a group heading, or an app with its position among the apps. */
export type MenuRow = { kind: 'group'; label: string } | { kind: 'app'; app: VisibleApp; index: number };

/**
 * Unfiltered, the apps come in menu order with a heading before each group; filtered, they are
 * ranked across groups, so each row names its group itself and there are no headings.
 */
export function menuRows(apps: readonly VisibleApp[], grouped: boolean): MenuRow[] {
  const rows: MenuRow[] = [];
  let group: string | undefined;
  apps.forEach((app, index) => {
    if (grouped && app.entry.group !== group) {
      group = app.entry.group;
      rows.push({ kind: 'group', label: group });
    }
    rows.push({ kind: 'app', app, index });
  });
  return rows;
}

/** The row showing the app at `appIndex`. */
export function rowOfApp(rows: readonly MenuRow[], appIndex: number): number {
  const row = rows.findIndex((candidate) => candidate.kind === 'app' && candidate.index === appIndex);
  return Math.max(0, row);
}

/**
 * The first row to show: scrolls only as far as needed to keep the selected row (and the
 * heading just above it) in view, so the list does not jump — and fewer lines are redrawn.
 */
export function scrollOffset(previous: number, selectedRow: number, height: number, total: number): number {
  if (total <= height) return 0;
  let offset = Math.min(previous, total - height);
  const top = Math.max(0, selectedRow - 1);
  if (top < offset) offset = top;
  if (selectedRow >= offset + height) offset = selectedRow - height + 1;
  return Math.max(0, offset);
}
