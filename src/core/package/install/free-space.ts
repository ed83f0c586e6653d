import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { packageErrors } from '../errors.js';

/** Bytes an unprivileged user may still write on the file system holding `dir` (or its nearest existing parent). */
export async function freeBytes(dir: string): Promise<number> {
  for (let current = dir; ; current = dirname(current)) {
    try {
      const info = await statfs(current);
      return info.bavail * info.bsize;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw error;
    }
  }
}

/** Room left beside the image for the scripts, the registry and the file system's own needs. */
export function spaceMargin(imageBytes: number): number {
  return Math.max(64 * 1024 * 1024, Math.ceil(imageBytes / 50));
}

function size(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Refuses (exit 1) when the store's disk cannot take the image plus the margin. */
export async function checkFreeSpace(dir: string, member: string, imageBytes: number, free: (dir: string) => Promise<number> = freeBytes): Promise<void> {
  const available = await free(dir);
  const margin = spaceMargin(imageBytes);
  if (available < imageBytes + margin) {
    throw packageErrors.diskFull(dir, `${member} needs ${size(imageBytes + margin)} (${size(imageBytes)} and a ${size(margin)} margin), ${size(available)} is free`);
  }
}
