import { lstat, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';

/** Linux gives up after 40 links too (ELOOP). */
const MAX_LINKS = 40;

export class GuestPathError extends Error {}

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

/**
 * Maps a path inside the guest onto the host, as if the guest root were `/`: symlinks are
 * followed by hand with absolute targets taken as guest paths, so no path or link can reach a
 * host file outside the root. A `..` that would climb above the root is refused rather than
 * clamped, because only a hostile or broken caller writes one.
 *
 * The check and the later open are not atomic; callers open with O_NOFOLLOW so that a link
 * swapped in between fails instead of leading outside.
 */
export async function resolveGuestPath(root: string, guestPath: string, options: { followFinal?: boolean } = {}): Promise<string> {
  if (guestPath.includes('\0')) throw new GuestPathError(`invalid path ${JSON.stringify(guestPath)}`);
  const realRoot = await realpath(root);
  const followFinal = options.followFinal ?? true;
  const resolved: string[] = [];
  const pending = components(guestPath);
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      if (resolved.length === 0) throw new GuestPathError(`path ${guestPath} leads outside the guest filesystem`);
      resolved.pop();
      continue;
    }
    const hostPath = join(realRoot, ...resolved, part);
    const isLast = pending.length === 0;
    let isLink = false;
    try {
      isLink = (await lstat(hostPath)).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
    if (!isLink || (isLast && !followFinal)) {
      resolved.push(part);
      continue;
    }
    links += 1;
    if (links > MAX_LINKS) throw new GuestPathError(`too many levels of symbolic links in ${guestPath}`);
    const target = await readlink(hostPath);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...components(target));
  }
  return join(realRoot, ...resolved);
}
