import { ChunkReader } from './chunk-reader.js';
import { checkEntryPath } from './entry-path.js';
import { BLOCK_SIZE, decodeHeader, isZeroBlock, TypeFlag, type TarHeader } from './header.js';
import { parsePax } from './pax.js';
import { TarError } from './tar-error.js';

/** A regular file in the archive; the only kind of member the reader lets through. */
export interface TarEntry {
  path: string;
  size: number;
  mode: number;
  mtime: number;
  /** Where the member's header starts in the (uncompressed) archive. */
  offset: number;
}

/** The member's data, read on demand; whatever the consumer leaves unread is skipped. */
export interface TarBody {
  /** Pieces of the data as they arrive. */
  chunks(): AsyncGenerator<Buffer>;
  /** The whole data in memory: only for members already known to be small. */
  readAll(): Promise<Buffer>;
}

/** Extended headers (PAX, GNU long names) are small; a huge one is an attack on memory. */
const MAX_EXTENDED_HEADER_BYTES = 64 * 1024;

const REFUSED_TYPES: Record<string, (path: string, header: TarHeader) => TarError> = {
  [TypeFlag.symlink]: (path, header) => new TarError('symlink', `member "${path}" is a symbolic link (to "${header.linkname}"): links are refused`),
  [TypeFlag.hardLink]: (path, header) => new TarError('hard-link', `member "${path}" is a hard link (to "${header.linkname}"): links are refused`),
  [TypeFlag.charDevice]: (path) => new TarError('device', `member "${path}" is a character device: device files are refused`),
  [TypeFlag.blockDevice]: (path) => new TarError('device', `member "${path}" is a block device: device files are refused`),
  [TypeFlag.fifo]: (path) => new TarError('fifo', `member "${path}" is a FIFO: special files are refused`),
  [TypeFlag.directory]: (path) => new TarError('directory', `member "${path}" is a directory: a package holds files only`),
};

const REGULAR_TYPES: readonly string[] = [TypeFlag.file, TypeFlag.oldFile, TypeFlag.contiguous];

function truncated(where: string): TarError {
  return new TarError('truncated', `the archive is truncated: it ends ${where}`);
}

function paddingOf(size: number): number {
  return (BLOCK_SIZE - (size % BLOCK_SIZE)) % BLOCK_SIZE;
}

interface Extended {
  path?: string;
  size?: number;
  linkpath?: string;
}

/**
 * Streams the members of a tar archive (ustar, GNU or PAX), validating each header before its
 * data is used: checksum, member type (links, devices, FIFOs and directories are refused),
 * path (absolute, `..`), duplicates, and truncation anywhere. Only regular files come out.
 */
export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<{ entry: TarEntry; body: TarBody }> {
  const reader = new ChunkReader(source[Symbol.asyncIterator]());
  const seen = new Set<string>();
  let extended: Extended = {};

  const readExtended = async (header: TarHeader, kind: string, offset: number): Promise<Buffer> => {
    if (header.size > MAX_EXTENDED_HEADER_BYTES) {
      throw new TarError('oversized-header', `${kind} at byte ${offset} is ${header.size} bytes, more than the ${MAX_EXTENDED_HEADER_BYTES} allowed`);
    }
    const data = await reader.read(header.size + paddingOf(header.size));
    if (data.length < header.size + paddingOf(header.size)) throw truncated(`inside the ${kind} at byte ${offset}`);
    return data.subarray(0, header.size);
  };

  for (;;) {
    const offset = reader.position;
    const block = await reader.read(BLOCK_SIZE);
    if (block.length === 0 && offset === 0) throw new TarError('not-tar', 'not a tar archive (the file is empty)');
    if (block.length < BLOCK_SIZE) {
      if (offset === 0) throw new TarError('not-tar', 'not a tar archive (shorter than one header)');
      throw truncated(block.length === 0 ? `after ${offset} bytes, without the end-of-archive marker` : `inside the header at byte ${offset}`);
    }
    if (isZeroBlock(block)) {
      if (offset === 0) throw new TarError('not-tar', 'not a tar archive (it starts with a zero block)');
      const second = await reader.read(BLOCK_SIZE);
      // One zero block at the very end is accepted (some writers stop there); a zero block with
      // data after it could hide members from other readers and is refused.
      if (second.length === BLOCK_SIZE && !isZeroBlock(second)) {
        throw new TarError('bad-header', `a lone zero block at byte ${offset} is followed by more data`);
      }
      return;
    }
    const header = decodeHeader(block, offset);
    if (header.typeflag === TypeFlag.paxHeader) {
      const records = parsePax(await readExtended(header, 'PAX extended header', offset));
      if ([...records.keys()].some((key) => key.startsWith('GNU.sparse.'))) {
        throw new TarError('unsupported-type', `member at byte ${offset} is a GNU sparse file: sparse members are not supported`);
      }
      const size = records.get('size');
      extended = {
        path: records.get('path') ?? extended.path,
        linkpath: records.get('linkpath') ?? extended.linkpath,
        size: size === undefined ? extended.size : Number(size),
      };
      if (extended.size !== undefined && (!Number.isSafeInteger(extended.size) || extended.size < 0)) {
        throw new TarError('bad-header', `PAX size "${size}" at byte ${offset} is not a valid size`);
      }
      continue;
    }
    if (header.typeflag === TypeFlag.paxGlobal) {
      // Global records set defaults (times, owners) that twinbox does not use.
      await readExtended(header, 'PAX global header', offset);
      continue;
    }
    if (header.typeflag === TypeFlag.gnuLongName || header.typeflag === TypeFlag.gnuLongLink) {
      const data = await readExtended(header, 'GNU long name', offset);
      const end = data.indexOf(0);
      const value = data.toString('utf8', 0, end < 0 ? data.length : end);
      extended = header.typeflag === TypeFlag.gnuLongName ? { ...extended, path: value } : { ...extended, linkpath: value };
      continue;
    }

    const rawPath = extended.path ?? header.name;
    const path = header.typeflag === TypeFlag.directory ? rawPath.replace(/\/$/, '') : rawPath;
    const size = extended.size ?? header.size;
    const linkname = extended.linkpath ?? header.linkname;
    extended = {};
    checkEntryPath(path);
    const refuse = REFUSED_TYPES[header.typeflag];
    if (refuse) throw refuse(path, { ...header, linkname });
    if (!REGULAR_TYPES.includes(header.typeflag)) {
      throw new TarError('unsupported-type', `member "${path}" has unsupported type "${header.typeflag}"`);
    }
    if (seen.has(path)) throw new TarError('duplicate', `member "${path}" appears twice in the archive`);
    seen.add(path);

    let remaining = size;
    const shortBody = () => truncated(`inside member "${path}" (${size - remaining} of ${size} bytes present)`);
    const body: TarBody = {
      async *chunks() {
        while (remaining > 0) {
          const piece = await reader.readSome(Math.min(remaining, 4 * 1024 * 1024));
          if (piece.length === 0) throw shortBody();
          remaining -= piece.length;
          yield piece;
        }
      },
      async readAll() {
        const data = await reader.read(remaining);
        remaining -= data.length;
        if (remaining > 0) throw shortBody();
        return data;
      },
    };
    yield { entry: { path, size, mode: header.mode, mtime: header.mtime, offset }, body };
    for await (const piece of body.chunks()) void piece;
    const padding = paddingOf(size);
    if ((await reader.read(padding)).length < padding) throw truncated(`inside the padding of member "${path}"`);
  }
}
