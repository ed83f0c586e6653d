import type { MenuEntry } from '../../core/apps/menu-entries.js';
import { fuzzyMatch, fuzzyScore } from './fuzzy-match.js';

/** Menu entries with their searchable texts lower-cased and their tie order computed once. */
export interface MenuIndex {
  entries: readonly MenuEntry[];
  names: string[];
  /** The untranslated names, lower-cased ('' where the name shown is not a translation). */
  untranslated: string[];
  ids: string[];
  groups: string[];
  /** Position of each entry when ranked most used first, then by name: ties among equal scores. */
  tieRank: Int32Array;
  /** The entry at each tie rank. */
  byTieRank: Int32Array;
  /** Each entry as a result, made once: the filter runs on every key and allocates little. */
  asResult: { byName: VisibleApp[]; other: VisibleApp[] };
}

/** An app the filter let through; `byName` when its name matched (so it can be highlighted). */
export interface VisibleApp {
  entry: MenuEntry;
  byName: boolean;
}

/** A match on the untranslated name, the id or the group (workspace / category) ranks below one on the name shown. */
const UNTRANSLATED_PENALTY = 4;
const ID_PENALTY = 8;
const GROUP_PENALTY = 16;

/**
 * The id and the group match only where one of their words starts with the query ("lab",
 * "off" for office): scattered letters there would let almost any short query match them all.
 */
function wordPrefixScore(query: string, lower: string): number | undefined {
  for (let at = lower.indexOf(query); at >= 0; at = lower.indexOf(query, at + 1)) {
    if (at === 0 || !/[a-z0-9]/.test(lower[at - 1]!)) return query.length * 16 + (at === 0 ? 24 : 12);
  }
  return undefined;
}

const collator = new Intl.Collator();

export function indexEntries(entries: readonly MenuEntry[]): MenuIndex {
  const order = entries.map((_, position) => position);
  order.sort((a, b) => entries[b]!.uses - entries[a]!.uses || collator.compare(entries[a]!.app.name, entries[b]!.app.name) || collator.compare(entries[a]!.key, entries[b]!.key));
  const tieRank = new Int32Array(entries.length);
  order.forEach((position, rank) => (tieRank[position] = rank));
  return {
    entries,
    names: entries.map((entry) => entry.app.name.toLowerCase()),
    untranslated: entries.map((entry) => entry.app.untranslatedName?.toLowerCase() ?? ''),
    ids: entries.map((entry) => entry.app.id.toLowerCase()),
    groups: entries.map((entry) => entry.group.toLowerCase()),
    tieRank,
    byTieRank: Int32Array.from(order),
    asResult: { byName: entries.map((entry) => ({ entry, byName: true })), other: entries.map((entry) => ({ entry, byName: false })) },
  };
}

/** The characters of the app's name the query matched, for highlighting. */
export function matchedPositions(app: VisibleApp, query: string): number[] {
  return app.byName && query !== '' ? (fuzzyMatch(query.toLowerCase(), app.entry.app.name)?.positions ?? []) : [];
}

/**
 * No query: every app in menu order (grouped, most-used first). A query: the apps whose name
 * (or untranslated name) holds its characters in order, or whose id or group has a word starting with it; best match
 * first, then most used, then by name.
 * Runs on every key over every app, so it allocates little and sorts plain numbers.
 */
export function filterMenu(index: MenuIndex, query: string): VisibleApp[] {
  const wanted = query.toLowerCase();
  const { entries } = index;
  if (wanted.length === 0) return index.asResult.other;
  const size = entries.length;
  // score * size + tie rank, negated score so an ascending numeric sort puts the best first.
  const keys: number[] = [];
  const onName = new Uint8Array(size);
  for (let position = 0; position < size; position++) {
    const entry = entries[position]!;
    let score = fuzzyScore(wanted, entry.app.name, index.names[position]);
    if (score !== undefined) onName[position] = 1;
    else if (index.untranslated[position] !== '' && (score = fuzzyScore(wanted, entry.app.untranslatedName!, index.untranslated[position])) !== undefined) {
      score -= UNTRANSLATED_PENALTY;
    } else {
      score = wordPrefixScore(wanted, index.ids[position]!);
      if (score !== undefined) score -= ID_PENALTY;
      else {
        score = wordPrefixScore(wanted, index.groups[position]!);
        if (score === undefined) continue;
        score -= GROUP_PENALTY;
      }
    }
    keys.push(-score * size + index.tieRank[position]!);
  }
  const sorted = Float64Array.from(keys).sort();
  const apps = new Array<VisibleApp>(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i]!;
    const rank = ((key % size) + size) % size;
    const position = index.byTieRank[rank]!;
    apps[i] = (onName[position] ? index.asResult.byName : index.asResult.other)[position]!;
  }
  return apps;
}
