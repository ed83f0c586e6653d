import { join } from 'node:path';
import type { TwinboxPaths } from '../paths.js';

/** Where machine-wide workspaces live unless TWINBOX_SYSTEM_DIR says otherwise (tests do). */
export const DEFAULT_SYSTEM_DIR = '/var/lib/twinbox';
/** The group that owns the system folder; its members administer machine-wide workspaces. */
export const DEFAULT_SYSTEM_GROUP = 'twinbox';

export function systemDirOf(env: NodeJS.ProcessEnv): string {
  return env.TWINBOX_SYSTEM_DIR || DEFAULT_SYSTEM_DIR;
}

/** Only consulted when root creates the system folder; afterwards the folder's own group is the admin group. */
export function systemGroupNameOf(env: NodeJS.ProcessEnv): string {
  return env.TWINBOX_SYSTEM_GROUP || DEFAULT_SYSTEM_GROUP;
}

/**
 * The system folder seen as a state folder: the same registry, store and workspace layout as a
 * user's `<data>`, so installing and uninstalling use the same code. Nothing runs from it: the
 * runtime folder stays the caller's own.
 */
export function systemPaths(env: NodeJS.ProcessEnv, caller: TwinboxPaths): TwinboxPaths {
  const dir = systemDirOf(env);
  return { configDir: join(dir, 'config'), dataDir: dir, cacheDir: join(dir, 'cache'), runtimeDir: caller.runtimeDir };
}
