import { dirname, resolve, sep } from 'node:path';
import { TwinboxError } from '../plugin-api/index.js';
import { resolvePaths } from './paths.js';

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

function inside(path: string, dir: string): boolean {
  const full = resolve(path);
  return full === resolve(dir) || full.startsWith(resolve(dir) + sep);
}

/**
 * A write that failed for want of room or of permission, as one clear error instead of
 * "unexpected error": a full disk is `disk-full` (exit 1) naming the folder (the file's, or the
 * state folder when the system did not say which file), a read-only or foreign state folder is
 * `state-unwritable` (exit 1), as the start of every command says when it cannot make its folders.
 * Undefined for anything else.
 */
export function stateWriteError(error: unknown, env: NodeJS.ProcessEnv): TwinboxError | undefined {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string') return undefined;
  const paths = resolvePaths(env);
  if (NO_SPACE.has(code)) {
    const folder = path ? dirname(path) : paths.dataDir;
    return new TwinboxError('disk-full', `no space left on the disk of ${folder} (${code}); nothing more was written`, {
      hint: 'free space on that disk (or point TWINBOX_HOME at a bigger one) and run it again: what was installed before is unharmed',
      details: { dir: folder },
      cause: error,
    });
  }
  if (UNWRITABLE.has(code) && path && [paths.configDir, paths.dataDir].some((dir) => inside(path, dir))) {
    return new TwinboxError('state-unwritable', `cannot write twinbox state in ${dirname(path)} (${code})`, {
      hint: 'point TWINBOX_HOME at a writable folder, or fix the folder permissions (reading commands such as `twinbox status` still work)',
      cause: error,
    });
  }
  return undefined;
}
