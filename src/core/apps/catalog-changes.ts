import type { CatalogApp } from '../setup/app-catalog.js';

/**
 * What a refresh changed, keyed by the guest's identity of an app (its id: a Linux desktop
 * file's name, a Windows shortcut's path). An id that stays keeps its catalog entry even when
 * the guest renames the app; a desktop file renamed or removed in the guest is a new identity,
 * so its old entry goes.
 */
export interface CatalogChanges {
  added: string[];
  removed: string[];
  renamed: Array<{ id: string; from: string; to: string }>;
  /** Same id and name, but another command, kind or categories. */
  changed: string[];
}

function sameApp(a: CatalogApp, b: CatalogApp): boolean {
  return a.kind === b.kind && a.origin === b.origin && a.source === b.source && JSON.stringify(a.command) === JSON.stringify(b.command) && JSON.stringify(a.categories ?? []) === JSON.stringify(b.categories ?? []);
}

export function catalogChanges(before: readonly CatalogApp[], after: readonly CatalogApp[]): CatalogChanges {
  const old = new Map(before.map((app) => [app.id, app]));
  const changes: CatalogChanges = { added: [], removed: [], renamed: [], changed: [] };
  for (const app of after) {
    const previous = old.get(app.id);
    old.delete(app.id);
    if (!previous) changes.added.push(app.id);
    else if (previous.name !== app.name) changes.renamed.push({ id: app.id, from: previous.name, to: app.name });
    else if (!sameApp(previous, app)) changes.changed.push(app.id);
  }
  changes.removed.push(...old.keys());
  return changes;
}

export function hasChanges(changes: CatalogChanges): boolean {
  return changes.added.length + changes.removed.length + changes.renamed.length + changes.changed.length > 0;
}

/** "added a, b; removed c; renamed d (Old → New)" for the event log and the CLI. */
export function describeChanges(changes: CatalogChanges): string {
  const parts: string[] = [];
  if (changes.added.length > 0) parts.push(`added ${changes.added.join(', ')}`);
  if (changes.removed.length > 0) parts.push(`removed ${changes.removed.join(', ')}`);
  if (changes.renamed.length > 0) parts.push(`renamed ${changes.renamed.map((rename) => `${rename.id} (${rename.from} → ${rename.to})`).join(', ')}`);
  if (changes.changed.length > 0) parts.push(`changed ${changes.changed.join(', ')}`);
  return parts.join('; ') || 'no changes';
}
