import { TwinboxError } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { EventLog } from '../events/event-log.js';
import type { SettingValues } from '../settings/keys.js';
import { policyUnresolved } from '../settings/settings-errors.js';
import type { Settings } from '../settings/settings.js';
import type { AccessIdentity, Caller } from '../system/caller.js';
import { workspaceAccess, type AccessDecision } from './workspace-access.js';

/**
 * access.workspaces as machine policy sets it. A user's own value is shown by `twinbox policy`
 * but never acted on: a user must not be able to grant themselves a workspace. A malformed
 * policy file with no last good version fails closed (exit 4).
 */
export function accessPolicy(settings: Settings): SettingValues['access.workspaces'] {
  const rule = settings.policy?.rule('access.workspaces');
  if (!rule) return {};
  if (rule.kind === 'unresolved') throw policyUnresolved('access.workspaces', rule.file, rule.problem);
  return rule.value as SettingValues['access.workspaces'];
}

export function accessDecision(settings: Settings, caller: AccessIdentity, workspace: string): AccessDecision {
  return workspaceAccess(accessPolicy(settings), workspace, caller.user, caller.groups);
}

/** Refuses (exit 4) a workspace machine policy does not let this user use. */
export function requireAccess(settings: Settings, events: EventLog, caller: Caller, workspace: string): void {
  const decision = accessDecision(settings, caller, workspace);
  if (decision.allowed) return;
  events.event('warn', EventCodes.workspaceAccessDenied, decision.reason, { user: caller.user, workspace });
  throw new TwinboxError('workspace-denied', `access to workspace "${workspace}" is denied by policy: ${decision.reason}`, {
    exit: 'denied',
    hint: `ask an administrator to add you or one of your groups to access.workspaces for "${workspace}" (machine policy in /etc/twinbox/policy.d)`,
  });
}
