import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { mapHostPath, type SharedFolder } from '../redirection/shared-folders.js';

/**
 * The arguments a guest app gets for the host's: an absolute path under a shared folder, or a
 * relative one naming an existing host file there, becomes the guest's path for it. Anything
 * else passes unchanged (a relative word is a path only if such a file exists).
 */
export function guestArguments(folders: readonly SharedFolder[], args: readonly string[], cwd: string): string[] {
  if (folders.length === 0) return [...args];
  return args.map((arg) => {
    if (arg === '' || arg.startsWith('-')) return arg;
    const hostPath = isAbsolute(arg) ? arg : resolve(cwd, arg);
    if (!isAbsolute(arg) && !existsSync(hostPath)) return arg;
    return mapHostPath(folders, hostPath)?.guestPath ?? arg;
  });
}
