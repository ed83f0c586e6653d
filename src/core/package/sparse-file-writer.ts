import { open, type FileHandle } from 'node:fs/promises';

const PIECE = 64 * 1024;
const ZEROS = Buffer.alloc(PIECE);

function isZero(piece: Buffer): boolean {
  return piece.equals(piece.length === PIECE ? ZEROS : ZEROS.subarray(0, piece.length));
}

/**
 * Writes a new file, leaving runs of zeros as holes: a raw disk image is mostly zeros, and
 * writing them would cost the whole image size in disk space and time. The file must be new
 * (or truncated), so that a skipped range already reads as zeros.
 */
export class SparseFileWriter {
  private position = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string, options: { mode: number; exclusive: boolean }): Promise<SparseFileWriter> {
    return new SparseFileWriter(await open(path, options.exclusive ? 'wx' : 'w', options.mode));
  }

  get bytesWritten(): number {
    return this.position;
  }

  async write(chunk: Buffer): Promise<void> {
    // Consecutive pieces with data go out in one write: fewer system calls for dense images.
    let runStart = -1;
    for (let start = 0; start < chunk.length; start += PIECE) {
      const zero = isZero(chunk.subarray(start, start + PIECE));
      if (!zero && runStart < 0) runStart = start;
      if (zero && runStart >= 0) {
        await this.writeAll(chunk.subarray(runStart, start), this.position + runStart);
        runStart = -1;
      }
    }
    if (runStart >= 0) await this.writeAll(chunk.subarray(runStart), this.position + runStart);
    this.position += chunk.length;
  }

  private async writeAll(data: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
  }

  /** Sets the final length (a trailing hole writes nothing), optionally flushes to disk, closes. */
  async close(options: { sync: boolean }): Promise<void> {
    try {
      await this.handle.truncate(this.position);
      if (options.sync) await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }

  /** Closes without caring about the content (the caller deletes the file). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
