import { userInfo } from 'node:os';
import type { CommandRunner } from '../../plugin-api/index.js';
import { directoryGroupNames, groupNames } from './unix-groups.js';

/** The user twinbox runs as: what admin checks and access.workspaces decide on. */
export interface Caller {
  uid: number;
  user: string;
  gids: number[];
  /** Names of the primary and supplementary groups. */
  groups: string[];
}

/** Who access.workspaces decides on: a user name and group names. */
export type AccessIdentity = Pick<Caller, 'user' | 'groups'>;

let cached: Caller | undefined;

/** Read once per process: listing many workspaces must not read the group database for each. */
export function currentCaller(): Caller {
  if (cached) return cached;
  const info = userInfo();
  const uid = process.getuid?.() ?? info.uid;
  const gids = [...new Set([process.getgid?.() ?? info.gid, ...(process.getgroups?.() ?? [])])];
  cached = { uid, user: info.username, gids, groups: groupNames(gids) };
  return cached;
}

/**
 * Names, once per process, the caller's groups that only a directory (LDAP, SSSD) knows, so
 * access.workspaces can name them. Costs nothing where /etc/group names every group (no
 * process is run); `currentCaller()` stays synchronous and uses what this found.
 */
export async function resolveCallerGroups(runner: CommandRunner): Promise<Caller> {
  cached = await nameDirectoryGroups(currentCaller(), runner);
  return cached;
}

/** `caller` with the groups /etc/group left as numbers named by the name service where it can. */
export async function nameDirectoryGroups(caller: Caller, runner: CommandRunner): Promise<Caller> {
  const unnamed = caller.gids.filter((gid, index) => caller.groups[index] === String(gid));
  if (unnamed.length === 0) return caller;
  const names = await directoryGroupNames(unnamed, runner);
  if (names.size === 0) return caller;
  return { ...caller, groups: caller.gids.map((gid, index) => names.get(gid) ?? caller.groups[index]!) };
}
