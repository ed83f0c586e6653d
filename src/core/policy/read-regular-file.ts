import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Why a file read from others could not be read: `problem` is for people, `fingerprint` identifies it. */
export class FileShapeError extends Error {
  constructor(
    readonly problem: string,
    readonly fingerprint: string,
  ) {
    super(problem);
    this.name = 'FileShapeError';
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function shapeProblem(stats: Stats, maxBytes: number): FileShapeError | undefined {
  // A folder keeps the errno wording a plain read gives it.
  if (stats.isDirectory()) return new FileShapeError('unreadable (EISDIR)', 'unreadable:EISDIR');
  if (!stats.isFile()) {
    const kind = kindOf(stats);
    return new FileShapeError(`not a regular file (${kind})`, `not-regular:${kind}`);
  }
  if (stats.size > maxBytes) return new FileShapeError(`larger than ${maxBytes} bytes`, `too-large:${stats.size}:${stats.mtimeMs}`);
  return undefined;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error';

/**
 * Reads a file someone else controls without blocking and without reading without bound: it
 * must be a regular file (a symlink to one is followed; a FIFO, a device, a folder or a link
 * loop is refused) no larger than `maxBytes`. Checked with stat before opening, opened
 * non-blocking (a FIFO swapped in meanwhile cannot hang open()), checked again with fstat, and
 * read no further than `maxBytes + 1` bytes (a file growing meanwhile is still refused).
 */
export function readRegularFileSync(file: string, maxBytes: number): Buffer {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    throw new FileShapeError(`unreadable (${errno(error)})`, `unreadable:${errno(error)}`);
  }
  const before = shapeProblem(stats, maxBytes);
  if (before) throw before;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw new FileShapeError(`unreadable (${errno(error)})`, `unreadable:${errno(error)}`);
  }
  try {
    const opened = shapeProblem(fstatSync(fd), maxBytes);
    if (opened) throw opened;
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      let read: number;
      try {
        read = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (error) {
        throw new FileShapeError(`unreadable (${errno(error)})`, `unreadable:${errno(error)}`);
      }
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new FileShapeError(`larger than ${maxBytes} bytes`, `too-large:grew`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
