import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TwinboxError, type CommandRunner } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import { requireAdmin, type AdminCheck } from './admin.js';
import { systemGroupNameOf } from './system-dir.js';
import { groupByName, type UnixGroup } from './unix-groups.js';

/** Folders: the group may add and remove (setgid keeps new files in the group); others read and traverse. */
const FOLDER_MODE = 0o2775;
/** Registry, event logs: the group writes, others read. */
const FILE_MODE = 0o664;
/** Base images and everything else sealed read-only at install stay read-only, for admins too. */
const SEALED_MODE = 0o444;

async function ensureGroup(name: string, runner: CommandRunner): Promise<UnixGroup> {
  const existing = groupByName(name);
  if (existing) return existing;
  const result = await runner.run('groupadd', ['--system', name]);
  const made = groupByName(name);
  if (result.exitCode !== 0 || !made) {
    throw new TwinboxError('system-group-missing', `the group "${name}" that owns machine-wide workspaces could not be created: ${result.stderr.trim() || `groupadd exited with ${result.exitCode}`}`, {
      hint: `create it yourself (groupadd --system ${name}), then install again`,
    });
  }
  return made;
}

/**
 * The system folder before an admin changes it. Root creates it on first use, owned by
 * root and the admin group (created when missing: `groupadd --system twinbox`); anyone else
 * must already be an admin of an existing one.
 */
export async function prepareSystemFolder(check: AdminCheck, runner: CommandRunner, fix: string): Promise<void> {
  const { systemDir, env, caller } = check;
  if (existsSync(systemDir)) {
    requireAdmin(check, `install or change machine-wide workspaces in ${systemDir}`, fix);
    return;
  }
  if (caller.uid !== 0) {
    requireAdmin(check, `create the machine-wide folder ${systemDir}`, fix);
  }
  const group = await ensureGroup(systemGroupNameOf(env), runner);
  mkdirSync(systemDir, { recursive: true, mode: 0o755 });
  chownSync(systemDir, 0, group.gid);
  chmodSync(systemDir, FOLDER_MODE);
  check.events.event('info', EventCodes.systemFolderCreated, `created ${systemDir} for machine-wide workspaces, owned by root and group "${group.name}"`, { systemDir, group: group.name });
}

/**
 * Puts everything in the system folder back to its shared shape after a change: group-owned,
 * folders group-writable with setgid, files group-writable except the read-only ones.
 * Root also makes root the owner. Symbolic links are never followed.
 */
export function shareSystemFolder(systemDir: string): void {
  const gid = lstatSync(systemDir).gid;
  const uid = process.getuid?.() ?? -1;
  const visit = (path: string): void => {
    let info;
    try {
      info = lstatSync(path);
    } catch {
      return;
    }
    if (info.isSymbolicLink()) return;
    // Another admin's files can only be changed by root; theirs were shared when they wrote them.
    if (uid === 0 || info.uid === uid) {
      chownSync(path, uid === 0 ? 0 : -1, gid);
      if (info.isDirectory()) chmodSync(path, FOLDER_MODE);
      else if (info.isFile()) chmodSync(path, (info.mode & 0o222) === 0 ? SEALED_MODE : FILE_MODE);
    }
    // A running install's staging folder stays private until it is sealed.
    if (info.isDirectory()) for (const name of readdirSync(path)) if (!name.startsWith('.staging-')) visit(join(path, name));
  };
  visit(systemDir);
}
