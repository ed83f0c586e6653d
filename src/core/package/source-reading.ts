import { createHash, type Hash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { TwinboxError } from '../../plugin-api/index.js';
import { packageErrors } from './errors.js';
import { ImageProbe } from './image-probe.js';
import { parsePrivateKey } from './key-files.js';
import type { SourceFile, SourceFolder } from './source-folder.js';

/** Small reads measured fastest here for hashing large, mostly sparse images. */
const READ_CHUNK = 64 * 1024;

/** The --sign key: an unencrypted ed25519 private key in PEM. */
export async function readSigningKey(file: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw new TwinboxError('signing-key', `cannot read the signing key ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      exit: 'usage',
      hint: 'make a key with `twinbox keygen --out FILE` and pass that FILE to --sign',
    });
  }
  const key = parsePrivateKey(pem);
  if (typeof key === 'string') {
    throw new TwinboxError('signing-key', `the signing key ${file} is ${key}`, { exit: 'usage', hint: 'make a key with `twinbox keygen --out FILE`' });
  }
  return key;
}

/** Refuses an image whose first and last bytes contradict image.format, before anything is packed. */
export async function checkImageFormat(folder: SourceFolder): Promise<void> {
  const { image } = folder;
  const handle = await open(image.path, 'r');
  try {
    const probe = new ImageProbe();
    const edge = Math.min(512, image.size);
    const head = Buffer.alloc(edge);
    await handle.read(head, 0, edge, 0);
    probe.push(head);
    const tail = Buffer.alloc(edge);
    await handle.read(tail, 0, edge, image.size - edge);
    probe.push(tail);
    const problem = probe.mismatch(folder.manifest.image.format);
    if (problem) throw packageErrors.image(folder.dir, `${problem} (${image.member})`);
  } finally {
    await handle.close();
  }
}

/** Streams a source file, hashing it on the way; `onBytes` sees the running count. */
export async function* hashedChunks(file: SourceFile, hash: Hash, onBytes?: (done: number) => void): AsyncGenerator<Buffer> {
  let done = 0;
  for await (const chunk of createReadStream(file.path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    done += chunk.length;
    onBytes?.(done);
    yield chunk;
  }
}

export async function hashFile(file: SourceFile, signal?: AbortSignal, onBytes?: (done: number) => void): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of hashedChunks(file, hash, onBytes)) {
    void chunk;
    signal?.throwIfAborted();
  }
  return hash.digest('hex');
}
