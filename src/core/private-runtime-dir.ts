import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/** In each runtime folder: the state folder it serves, so a folder whose home is gone can be told. */
export const RUNTIME_HOME_MARKER = '.home';
/** A folder made this recently may be about to receive a socket: never swept. */
const RUNTIME_GRACE_MS = 60_000;

/** Nothing but folders (and the marker) inside: no socket, pid file or anything else in use. */
function holdsNothing(dir: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === RUNTIME_HOME_MARKER && entry.isFile()) continue;
    if (!entry.isDirectory() || !holdsNothing(join(dir, entry.name))) return false;
  }
  return true;
}

/**
 * Notes which state folder `dir` serves, and sweeps its siblings whose state folder is gone
 * and that hold nothing any more (a TWINBOX_HOME removed, a test's home): one empty folder per
 * home would otherwise pile up under the runtime directory forever. Best effort.
 */
export function markAndSweepRuntimeDirs(dir: string, home: string, now = Date.now()): string[] {
  const marker = join(dir, RUNTIME_HOME_MARKER);
  try {
    if (!existsSync(marker)) writeFileSync(marker, `${home}\n`, { mode: 0o600 });
  } catch {
    // a read-only runtime folder: nothing is swept for it later, nothing else is harmed
  }
  const swept: string[] = [];
  const parent = dirname(dir);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return swept;
  }
  for (const name of names) {
    const sibling = join(parent, name);
    if (sibling === dir) continue;
    try {
      const info = lstatSync(sibling);
      if (!info.isDirectory() || now - info.mtimeMs < RUNTIME_GRACE_MS) continue;
      const owner = readFileSync(join(sibling, RUNTIME_HOME_MARKER), 'utf8').trim();
      if (owner === '' || existsSync(owner) || !holdsNothing(sibling)) continue;
      rmSync(sibling, { recursive: true });
      swept.push(sibling);
    } catch {
      // no marker (made before markers, or not ours), or in use meanwhile: left alone
    }
  }
  return swept;
}
