import { userInfo } from 'node:os';
import { groupNames } from './unix-groups.js';

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
