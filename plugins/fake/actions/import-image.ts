import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DISK_FORMATS, isTwinboxError, type ImportImageRequest, type ImportedImage, type OperationOptions } from 'twinbox/plugin-api';
import { fakeErrors } from '../driver/errors.js';
import type { FakeContext } from '../provider.js';
import { pathExists } from 'twinbox/plugin-api';


/**
 * Copies the image into the destination folder as a read-only base: every VM made from it is
 * a linked clone that never writes to it.
 */
export async function importImage(_context: FakeContext, request: ImportImageRequest, options: OperationOptions = {}): Promise<ImportedImage> {
  if (!(DISK_FORMATS as readonly string[]).includes(request.format)) throw fakeErrors.unsupportedFormat(request.format);
  let size: number;
  try {
    const info = await stat(request.source);
    if (!info.isFile()) throw fakeErrors.imageNotFound(request.source);
    size = info.size;
  } catch (error) {
    if (isTwinboxError(error)) throw error;
    throw fakeErrors.imageNotFound(request.source);
  }
  await mkdir(request.destinationDir, { recursive: true, mode: 0o700 });
  const destination = join(request.destinationDir, basename(request.source));
  if (await pathExists(destination)) throw fakeErrors.imageExists(destination);

  const temporary = `${destination}.${randomBytes(4).toString('hex')}.partial`;
  let copied = 0;
  let lastPercent = -1;
  const progress = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      copied += chunk.length;
      const percent = size === 0 ? 100 : Math.floor((copied / size) * 100);
      if (percent !== lastPercent) {
        lastPercent = percent;
        options.onProgress?.({ percent, message: 'copying image' });
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(request.source), progress, createWriteStream(temporary, { flags: 'wx', mode: 0o600 }), {
      signal: options.signal,
    });
    await chmod(temporary, 0o444);
    await rename(temporary, destination);
  } catch (error) {
    await rm(temporary, { force: true });
    if (options.signal?.aborted) throw fakeErrors.cancelled(basename(request.source), 'import');
    throw error;
  }
  options.onProgress?.({ percent: 100, message: 'image imported' });
  return { path: destination, format: request.format, sizeBytes: size };
}
