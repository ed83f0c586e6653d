import { parseNumber, writeNumber } from './numbers.js';
import { TarError } from './tar-error.js';

export const BLOCK_SIZE = 512;

/** Type flags twinbox reads or writes, by meaning. */
export const TypeFlag = {
  file: '0',
  oldFile: '\0',
  contiguous: '7',
  hardLink: '1',
  symlink: '2',
  charDevice: '3',
  blockDevice: '4',
  directory: '5',
  fifo: '6',
  paxHeader: 'x',
  paxGlobal: 'g',
  gnuLongName: 'L',
  gnuLongLink: 'K',
} as const;

export interface TarHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
  format: 'ustar' | 'gnu';
}

const FIELDS = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  checksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const;

type Field = keyof typeof FIELDS;

function slice(block: Buffer, field: Field): Buffer {
  const [offset, width] = FIELDS[field];
  return block.subarray(offset, offset + width);
}

function text(block: Buffer, field: Field): string {
  const bytes = slice(block, field);
  const end = bytes.indexOf(0);
  return bytes.toString('utf8', 0, end < 0 ? bytes.length : end);
}

export function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/** Sums of the header with the checksum field read as spaces: unsigned (POSIX) and signed (old Unix tars). */
function checksums(block: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  const [start, width] = FIELDS.checksum;
  for (let index = 0; index < BLOCK_SIZE; index++) {
    const byte = index >= start && index < start + width ? 0x20 : block[index]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return { unsigned, signed };
}

function formatOf(block: Buffer): TarHeader['format'] | undefined {
  const magic = slice(block, 'magic').toString('latin1');
  const version = slice(block, 'version').toString('latin1');
  if (magic === 'ustar\0' && version === '00') return 'ustar';
  if (magic === 'ustar ' && version === ' \0') return 'gnu';
  return undefined;
}

/** Whether the block looks like the start of a ustar or GNU tar archive (magic and checksum). */
export function looksLikeTarHeader(block: Buffer): boolean {
  if (block.length < BLOCK_SIZE || formatOf(block) === undefined) return false;
  const { unsigned, signed } = checksums(block);
  try {
    const stored = parseNumber(slice(block, 'checksum'), 'checksum');
    return stored === unsigned || stored === signed;
  } catch {
    return false;
  }
}

/**
 * Decodes one 512-byte header. `offset` (where it starts in the archive) only makes errors
 * precise. Headers of old V7 tars (no magic) are refused: nothing twinbox writes looks like that.
 */
export function decodeHeader(block: Buffer, offset: number): TarHeader {
  const format = formatOf(block);
  if (!format) {
    throw offset === 0
      ? new TarError('not-tar', 'not a tar archive (no ustar header at the start)')
      : new TarError('bad-header', `no valid tar header at byte ${offset} (corrupt or not a ustar archive)`);
  }
  const stored = parseNumber(slice(block, 'checksum'), 'checksum');
  const { unsigned, signed } = checksums(block);
  const rawName = text(block, 'name');
  if (stored !== unsigned && stored !== signed) {
    throw new TarError('checksum', `header checksum mismatch at byte ${offset} (member "${rawName}"): the archive is corrupt`);
  }
  const prefix = format === 'ustar' ? text(block, 'prefix') : '';
  return {
    name: prefix === '' ? rawName : `${prefix}/${rawName}`,
    mode: parseNumber(slice(block, 'mode'), 'mode'),
    uid: parseNumber(slice(block, 'uid'), 'uid'),
    gid: parseNumber(slice(block, 'gid'), 'gid'),
    size: parseNumber(slice(block, 'size'), 'size'),
    mtime: parseNumber(slice(block, 'mtime'), 'mtime'),
    typeflag: String.fromCharCode(block[FIELDS.typeflag[0]]!),
    linkname: text(block, 'linkname'),
    format,
  };
}

/** Splits a long name into ustar's prefix and name fields, or undefined when it cannot be split. */
export function splitUstarName(path: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(path) <= FIELDS.name[1]) return { prefix: '', name: path };
  for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
    const prefix = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= FIELDS.prefix[1] && Buffer.byteLength(name) <= FIELDS.name[1] && name !== '') return { prefix, name };
  }
  return undefined;
}

export interface HeaderInput {
  name: string;
  size: number;
  typeflag: string;
  mode?: number;
  mtime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
}

/**
 * Encodes a POSIX ustar header. Names that do not fit the name and prefix fields need a PAX
 * header before this one (the writer adds it); here they are an error.
 */
export function encodeHeader(input: HeaderInput): Buffer {
  const split = splitUstarName(input.name);
  if (!split) throw new RangeError(`member name "${input.name}" does not fit a ustar header`);
  const block = Buffer.alloc(BLOCK_SIZE);
  const put = (field: Field, value: string) => {
    const [offset, width] = FIELDS[field];
    if (Buffer.byteLength(value) > width) throw new RangeError(`${field} "${value}" does not fit a ustar header`);
    block.write(value, offset, width, 'utf8');
  };
  const number = (field: Field, value: number) => writeNumber(block, FIELDS[field][0], FIELDS[field][1], value);
  put('name', split.name);
  put('prefix', split.prefix);
  number('mode', input.mode ?? 0o644);
  number('uid', 0);
  number('gid', 0);
  number('size', input.size);
  number('mtime', input.mtime ?? 0);
  put('typeflag', input.typeflag);
  put('linkname', input.linkname ?? '');
  block.write('ustar\0', FIELDS.magic[0], 6, 'latin1');
  block.write('00', FIELDS.version[0], 2, 'latin1');
  number('devmajor', input.devmajor ?? 0);
  number('devminor', input.devminor ?? 0);
  const { unsigned } = checksums(block);
  block.write(`${unsigned.toString(8).padStart(6, '0')}\0 `, FIELDS.checksum[0], 8, 'latin1');
  return block;
}
