import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Core } from '../open-core.js';
import { workspaceAccess } from '../policy/workspace-access.js';
import type { Settings } from '../settings/settings.js';
import { CoreTokens } from '../tokens.js';
import { openRegistry } from '../workspace/open-workspace.js';
import type { WorkspaceEntry } from '../workspace/registry.js';

/** Who is asking, as access.workspaces names people: a user name and group names. */
export interface AccessIdentity {
  user: string;
  groups: string[];
}

/** The groups of the current user from /etc/group (its primary group and those listing it). */
function groupsOf(user: string, primaryGid: number): string[] {
  let text: string;
  try {
    text = readFileSync('/etc/group', 'utf8');
  } catch {
    // No /etc/group (Windows, a minimal container): only rules naming the user can match.
    return [];
  }
  const groups: string[] = [];
  for (const line of text.split('\n')) {
    const [group, , gid, members = ''] = line.split(':');
    if (!group || gid === undefined) continue;
    if (Number(gid) === primaryGid || members.split(',').includes(user)) groups.push(group);
  }
  return groups;
}

export function currentIdentity(): AccessIdentity {
  const info = userInfo();
  return { user: info.username, groups: groupsOf(info.username, info.gid) };
}

/**
 * The installed workspaces this user may use. The one place the end-user menu asks access
 * control, so a richer rule (machine-wide workspaces) changes only this function.
 */
export function usableWorkspaces(core: Core, identity: AccessIdentity = currentIdentity()): WorkspaceEntry[] {
  const access = core.container.resolve<Settings>(CoreTokens.Settings).get('access.workspaces');
  return openRegistry(core)
    .list()
    .filter((entry) => workspaceAccess(access, entry.name, identity.user, identity.groups).allowed);
}
