import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export type Compression = 'gzip' | 'none';

/** Compressions recognised by their magic bytes only to be refused by name. */
const UNSUPPORTED: ReadonlyArray<{ name: string; magic: number[] }> = [
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68] },
];

export type DetectedCompression = Compression | { unsupported: string };

/** Reads the first bytes: gzip (1f 8b) or plain; the file name's extension is not trusted. */
export async function detectCompression(file: string): Promise<DetectedCompression> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(6);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const starts = (magic: number[]) => bytesRead >= magic.length && magic.every((byte, index) => head[index] === byte);
    if (starts([0x1f, 0x8b])) return 'gzip';
    const unsupported = UNSUPPORTED.find((candidate) => starts(candidate.magic));
    return unsupported ? { unsupported: unsupported.name } : 'none';
  } finally {
    await handle.close();
  }
}

const READ_CHUNK = 64 * 1024;

/**
 * Streams the archive's uncompressed bytes into `consume`. The consumer may stop early (at
 * the end-of-archive marker); errors of the file and the decompressor reach the caller.
 */
export async function streamArchive(
  file: string,
  compression: Compression,
  consume: (source: AsyncIterable<Buffer>) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const input = createReadStream(file, { highWaterMark: READ_CHUNK });
  const sink = async (source: AsyncIterable<Buffer>) => consume(source);
  if (compression === 'gzip') await pipeline(input, createGunzip({ chunkSize: 64 * 1024 }), sink, { signal });
  else await pipeline(input, sink, { signal });
}

/** zlib's complaint about a gzip stream, in words; undefined for other errors. */
export function gzipProblem(error: unknown): 'truncated' | 'corrupt' | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR') return 'truncated';
  if (code === 'Z_DATA_ERROR') return 'corrupt';
  return undefined;
}
