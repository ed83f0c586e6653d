import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { workspaceAccess } from './workspace-access.js';
import type { Core } from '../open-core.js';
import type { Settings } from '../settings/settings.js';
import { CoreTokens } from '../tokens.js';
import { openRegistry } from '../workspace/open-workspace.js';
import type { WorkspaceEntry } from '../workspace/registry.js';

/** The names of the groups this process is in, as /etc/group spells them. */
function groupNames(): string[] {
  if (typeof process.getgroups !== 'function') return [];
  const gids = new Set(process.getgroups().map(String));
  let text: string;
  try {
    text = readFileSync('/etc/group', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 3 && gids.has(fields[2]!))
    .map((fields) => fields[0]!);
}

/** The installed workspaces this user may use (the access.workspaces setting), by name. */
export function usableWorkspaces(core: Core): WorkspaceEntry[] {
  const settings = core.container.resolve<Settings>(CoreTokens.Settings);
  const access = settings.get('access.workspaces');
  const all = openRegistry(core).list();
  if (Object.keys(access).length === 0) return all;
  const user = userInfo().username;
  const groups = groupNames();
  return all.filter((entry) => workspaceAccess(access, entry.name, user, groups).allowed);
}
