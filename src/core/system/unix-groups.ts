import { readFileSync } from 'node:fs';
import type { CommandRunner } from '../../plugin-api/index.js';

export interface UnixGroup {
  name: string;
  gid: number;
}

/** The local group database. Groups only in LDAP/SSSD are not seen here: see `directoryGroupNames`. */
function readGroups(file = '/etc/group'): UnixGroup[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return parseGroups(text);
}

/** group(5) lines: `name:password:gid:members`, as /etc/group and `getent group` write them. */
function parseGroups(text: string): UnixGroup[] {
  const groups: UnixGroup[] = [];
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name && gid !== undefined && /^\d+$/.test(gid)) groups.push({ name, gid: Number(gid) });
  }
  return groups;
}

export function groupByName(name: string): UnixGroup | undefined {
  return readGroups().find((group) => group.name === name);
}

export function groupName(gid: number): string {
  return readGroups().find((group) => group.gid === gid)?.name ?? String(gid);
}

/** The names of groups with these ids; an id without a name stays as its number. */
export function groupNames(gids: readonly number[]): string[] {
  const groups = readGroups();
  return gids.map((gid) => groups.find((group) => group.gid === gid)?.name ?? String(gid));
}

/**
 * Names groups through the system's name service (`getent group`, which asks whatever
 * nsswitch.conf lists: files, LDAP, SSSD, NIS…), for the ids the local file does not name.
 * An id the name service does not know either stays as its number; so does every id when
 * getent is missing or hangs (5 s).
 */
export async function directoryGroupNames(gids: readonly number[], runner: CommandRunner): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  if (gids.length === 0) return names;
  try {
    // Exit 2: some key was not found; the others are still printed.
    const result = await runner.run('getent', ['group', ...gids.map(String)], { timeoutMs: 5000 });
    if (result.timedOut || (result.exitCode !== 0 && result.exitCode !== 2)) return names;
    for (const group of parseGroups(result.stdout)) if (gids.includes(group.gid)) names.set(group.gid, group.name);
  } catch {
    // no getent: local names only
  }
  return names;
}
