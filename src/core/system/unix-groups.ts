import { readFileSync } from 'node:fs';

export interface UnixGroup {
  name: string;
  gid: number;
}

/** The local group database. Groups only in LDAP/SSSD are not seen: the system folder's group must be local. */
function readGroups(file = '/etc/group'): UnixGroup[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
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
