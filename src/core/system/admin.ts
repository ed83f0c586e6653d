import { statSync } from 'node:fs';
import { TwinboxError } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { EventLog } from '../events/event-log.js';
import type { Caller } from './caller.js';
import { systemGroupNameOf } from './system-dir.js';
import { groupName } from './unix-groups.js';

/** The group that administers the system folder: the group owning it, or the one root would create. */
export function adminGroupName(systemDir: string, env: NodeJS.ProcessEnv): string {
  try {
    return groupName(statSync(systemDir).gid);
  } catch {
    return systemGroupNameOf(env);
  }
}

/**
 * Root, or a member of the group owning the system folder. The file permissions decide in the
 * end (the folder is group-writable, nothing else is); this check only says so first, clearly.
 */
export function isAdmin(caller: Caller, systemDir: string): boolean {
  if (caller.uid === 0) return true;
  try {
    const folder = statSync(systemDir);
    return (folder.mode & 0o020) !== 0 && caller.gids.includes(folder.gid);
  } catch {
    return false;
  }
}

export interface AdminCheck {
  caller: Caller;
  systemDir: string;
  env: NodeJS.ProcessEnv;
  events: EventLog;
}

/**
 * Refuses (exit 4) unless the caller may administer machine-wide workspaces. `action`
 * completes "only an administrator can …"; `fix` begins the hint ("run `sudo …`").
 */
export function requireAdmin(check: AdminCheck, action: string, fix: string): void {
  if (isAdmin(check.caller, check.systemDir)) return;
  const group = adminGroupName(check.systemDir, check.env);
  const message = `only an administrator can ${action}: ${check.caller.user} is neither root nor a member of group "${group}"`;
  check.events.event('warn', EventCodes.adminRequired, message, { user: check.caller.user, action, systemDir: check.systemDir });
  throw new TwinboxError('admin-required', message, {
    exit: 'denied',
    hint: `${fix}, or have an administrator add you to the group: usermod -aG ${group} ${check.caller.user}`,
  });
}
