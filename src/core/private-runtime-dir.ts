import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TwinboxError } from '../plugin-api/index.js';

/**
 * The runtime folder holds the sockets that control VMs (QMP, guest agent) and their pid
 * files. It lives under a shared temp folder when XDG_RUNTIME_DIR is unset, where another
 * user could have made `twinbox-<uid>` first: it and its parent must be real folders owned by
 * this user, and are made 0700 whatever they were.
 */
export function ensurePrivateRuntimeDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  for (const folder of [dirname(dir), dir]) {
    const info = lstatSync(folder);
    if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) {
      throw new TwinboxError('runtime-dir-unsafe', `the runtime folder ${folder} is ${info.isDirectory() ? `owned by uid ${info.uid}, not by you` : 'not a folder'}: its sockets could be reached by someone else`, {
        exit: 'denied',
        hint: `remove ${folder} (as its owner or root), or set XDG_RUNTIME_DIR to a folder only you can use`,
      });
    }
    if ((info.mode & 0o077) !== 0) chmodSync(folder, 0o700);
  }
}
