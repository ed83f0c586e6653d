import { checkEntryPath } from './entry-path.js';
import { BLOCK_SIZE, encodeHeader, splitUstarName, TypeFlag } from './header.js';
import { octalLimit } from './numbers.js';
import { encodePax } from './pax.js';

/** One regular file to write: its bytes in memory, or a stream read once, exactly `size` long. */
export interface TarMemberSource {
  path: string;
  size: number;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  content: Buffer | (() => AsyncIterable<Buffer>);
}

const SIZE_LIMIT = octalLimit(12);
const ZEROS = Buffer.alloc(BLOCK_SIZE * 2);

/** Thrown when a streamed member is not the size announced in its header (the file changed). */
export class MemberSizeError extends Error {
  constructor(path: string, expected: number, actual: number) {
    super(`${path} changed while it was being packed (expected ${expected} bytes, read ${actual})`);
    this.name = 'MemberSizeError';
  }
}

function paxHeaderFor(member: TarMemberSource): Buffer | undefined {
  const records = new Map<string, string>();
  if (!splitUstarName(member.path)) records.set('path', member.path);
  if (member.size > SIZE_LIMIT) records.set('size', String(member.size));
  if (records.size === 0) return undefined;
  const data = encodePax(records);
  const header = encodeHeader({ name: 'PaxHeader', size: data.length, typeflag: TypeFlag.paxHeader, mtime: member.mtime });
  return Buffer.concat([header, data, ZEROS.subarray(0, (BLOCK_SIZE - (data.length % BLOCK_SIZE)) % BLOCK_SIZE)]);
}

/** The name field of a member whose real name is in its PAX header: a readable stand-in. */
function ustarName(path: string): string {
  if (splitUstarName(path)) return path;
  const base = path.slice(path.lastIndexOf('/') + 1);
  return Buffer.byteLength(base) <= 100 ? base : 'long-name';
}

/**
 * Writes a POSIX tar archive of regular files as a stream of buffers, streaming each member's
 * content through without holding it in memory. Long names and sizes of 8 GiB and more get a
 * PAX extended header. It refuses names the reader would refuse.
 */
export async function* tarStream(members: Iterable<TarMemberSource> | AsyncIterable<TarMemberSource>): AsyncGenerator<Buffer> {
  for await (const member of members) {
    checkEntryPath(member.path);
    const pax = paxHeaderFor(member);
    if (pax) yield pax;
    yield encodeHeader({
      name: ustarName(member.path),
      // Readers that ignore PAX still get the right size: base-256 where octal is too short.
      size: member.size,
      typeflag: TypeFlag.file,
      mode: member.mode,
      mtime: member.mtime,
    });
    let written = 0;
    if (Buffer.isBuffer(member.content)) {
      written = member.content.length;
      if (written !== member.size) throw new MemberSizeError(member.path, member.size, written);
      yield member.content;
    } else {
      for await (const chunk of member.content()) {
        written += chunk.length;
        if (written > member.size) throw new MemberSizeError(member.path, member.size, written);
        yield chunk;
      }
      if (written !== member.size) throw new MemberSizeError(member.path, member.size, written);
    }
    const padding = (BLOCK_SIZE - (written % BLOCK_SIZE)) % BLOCK_SIZE;
    if (padding > 0) yield ZEROS.subarray(0, padding);
  }
  yield ZEROS;
}
