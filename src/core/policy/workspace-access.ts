import type { SettingValues } from '../settings/keys.js';

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * access.workspaces: a workspace that is listed may be used only by the listed users and
 * members of the listed @groups; one that is not listed is open to everyone.
 */
export function workspaceAccess(
  access: SettingValues['access.workspaces'],
  workspace: string,
  user: string,
  groups: readonly string[],
): AccessDecision {
  if (!Object.hasOwn(access, workspace)) return { allowed: true };
  const allowed = access[workspace]!;
  const permitted = allowed.some((entry) => (entry.startsWith('@') ? groups.includes(entry.slice(1)) : entry === user));
  if (permitted) return { allowed: true };
  return { allowed: false, reason: `${user} is not among the users allowed to use workspace "${workspace}" (${allowed.join(', ') || 'nobody'})` };
}
