import type { MenuEntry } from '../../core/apps/menu-entries.js';
import { fuzzyMatch } from './fuzzy-match.js';

/** A menu entry with its searchable texts lower-cased once. */
export interface IndexedEntry {
  entry: MenuEntry;
  name: string;
  id: string;
  group: string;
}

/** An app the filter let through, with the characters of its name to highlight. */
export interface VisibleApp {
  entry: MenuEntry;
  /** Indices into the app's name; empty when the id or group matched instead. */
  positions: number[];
}

/** A match on the id or the group (workspace / category) ranks below one on the name. */
const ID_PENALTY = 8;
const GROUP_PENALTY = 16;

export function indexEntries(entries: readonly MenuEntry[]): IndexedEntry[] {
  return entries.map((entry) => ({ entry, name: entry.app.name.toLowerCase(), id: entry.app.id.toLowerCase(), group: entry.group.toLowerCase() }));
}

/**
 * No query: every app in menu order (grouped, most-used first). A query: the apps whose name,
 * id or group contains its characters in order, best match first, then most used, then by name.
 */
export function filterMenu(index: readonly IndexedEntry[], query: string): VisibleApp[] {
  const wanted = query.toLowerCase();
  if (wanted.length === 0) return index.map(({ entry }) => ({ entry, positions: [] }));
  const ranked: Array<VisibleApp & { score: number }> = [];
  for (const indexed of index) {
    const byName = fuzzyMatch(wanted, indexed.entry.app.name, indexed.name);
    if (byName) {
      ranked.push({ entry: indexed.entry, positions: byName.positions, score: byName.score });
      continue;
    }
    const byId = fuzzyMatch(wanted, indexed.entry.app.id, indexed.id);
    if (byId) {
      ranked.push({ entry: indexed.entry, positions: [], score: byId.score - ID_PENALTY });
      continue;
    }
    const byGroup = fuzzyMatch(wanted, indexed.entry.group, indexed.group);
    if (byGroup) ranked.push({ entry: indexed.entry, positions: [], score: byGroup.score - GROUP_PENALTY });
  }
  ranked.sort((a, b) => b.score - a.score || b.entry.uses - a.entry.uses || a.entry.app.name.localeCompare(b.entry.app.name) || a.entry.key.localeCompare(b.entry.key));
  return ranked.map(({ entry, positions }) => ({ entry, positions }));
}
