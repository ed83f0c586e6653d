import { constants, type FileHandle, open } from 'node:fs/promises';
import { GuestPathError, resolveGuestPath } from '../guest-path.js';
import { base64Arg, intArg, QgaError, stringArg, type QgaArgs, type QgaCommand } from '../qga-error.js';

/** qemu-ga's limit for one guest-file-read. */
const MAX_READ = 48 * 1024 * 1024;
const DEFAULT_READ = 4096;

interface OpenFile {
  handle: FileHandle;
  position: number;
  append: boolean;
}

function openFlags(mode: string): { flags: number; append: boolean } {
  const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND } = constants;
  const table: Record<string, number> = {
    r: O_RDONLY,
    'r+': O_RDWR,
    w: O_WRONLY | O_CREAT | O_TRUNC,
    'w+': O_RDWR | O_CREAT | O_TRUNC,
    a: O_WRONLY | O_CREAT | O_APPEND,
    'a+': O_RDWR | O_CREAT | O_APPEND,
  };
  const flags = table[mode.replace('b', '')];
  if (flags === undefined) throw new QgaError('GenericError', `invalid file open mode '${mode}'`);
  return { flags, append: (flags & O_APPEND) !== 0 };
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const messages: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EACCES: 'Permission denied',
    EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory',
    ELOOP: 'Too many levels of symbolic links',
  };
  return (code && messages[code]) ?? (error as Error).message;
}

/** guest-file-*: handles onto files inside the guest root, never outside it. */
export class GuestFiles {
  private readonly files = new Map<number, OpenFile>();
  private nextHandle = 1000;

  constructor(private readonly root: string) {}

  commands(): Record<string, QgaCommand> {
    return {
      'guest-file-open': { run: (args) => this.open(args) },
      'guest-file-read': { run: (args) => this.read(args) },
      'guest-file-write': { run: (args) => this.write(args) },
      'guest-file-seek': { run: (args) => this.seek(args) },
      'guest-file-flush': { run: (args) => this.flush(args) },
      'guest-file-close': { run: (args) => this.close(args) },
    };
  }

  async closeAll(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    await Promise.all(files.map((file) => file.handle.close().catch(() => undefined)));
  }

  private async open(args: QgaArgs): Promise<number> {
    const path = stringArg(args, 'path');
    const mode = stringArg(args, 'mode', true) ?? 'r';
    const { flags, append } = openFlags(mode);
    let hostPath: string;
    try {
      hostPath = await resolveGuestPath(this.root, path);
    } catch (error) {
      if (error instanceof GuestPathError) throw new QgaError('GenericError', `failed to open file '${path}' (mode: '${mode}'): ${error.message}`);
      throw error;
    }
    let handle: FileHandle;
    try {
      handle = await open(hostPath, flags | constants.O_NOFOLLOW, 0o644);
    } catch (error) {
      throw new QgaError('GenericError', `failed to open file '${path}' (mode: '${mode}'): ${describe(error)}`);
    }
    const id = this.nextHandle;
    this.nextHandle += 1;
    this.files.set(id, { handle, position: 0, append });
    return id;
  }

  private file(args: QgaArgs): OpenFile {
    const id = intArg(args, 'handle');
    const file = this.files.get(id);
    if (!file) throw new QgaError('GenericError', `handle '${id}' has not been found`);
    return file;
  }

  private async read(args: QgaArgs): Promise<{ count: number; 'buf-b64': string; eof: boolean }> {
    const file = this.file(args);
    const count = intArg(args, 'count', DEFAULT_READ);
    if (count < 0 || count > MAX_READ) throw new QgaError('GenericError', `value '${count}' is invalid for argument count`);
    const buffer = Buffer.alloc(count);
    let bytesRead: number;
    try {
      ({ bytesRead } = await file.handle.read(buffer, 0, count, file.position));
    } catch (error) {
      throw new QgaError('GenericError', `failed to read file: ${describe(error)}`);
    }
    file.position += bytesRead;
    return { count: bytesRead, 'buf-b64': buffer.subarray(0, bytesRead).toString('base64'), eof: bytesRead < count || count === 0 };
  }

  private async write(args: QgaArgs): Promise<{ count: number; eof: boolean }> {
    const file = this.file(args);
    const data = base64Arg(args, 'buf-b64') as Buffer;
    const count = intArg(args, 'count', data.length);
    if (count < 0 || count > data.length) throw new QgaError('GenericError', `value '${count}' is invalid for argument count`);
    let bytesWritten: number;
    try {
      // O_APPEND writes land at the end whatever position is given.
      ({ bytesWritten } = await file.handle.write(data, 0, count, file.append ? null : file.position));
    } catch (error) {
      throw new QgaError('GenericError', `failed to write to file: ${describe(error)}`);
    }
    file.position = file.append ? (await file.handle.stat()).size : file.position + bytesWritten;
    return { count: bytesWritten, eof: false };
  }

  private async seek(args: QgaArgs): Promise<{ position: number; eof: boolean }> {
    const file = this.file(args);
    const offset = intArg(args, 'offset');
    const whence = args.whence;
    const base =
      whence === 0 || whence === 'set'
        ? 0
        : whence === 1 || whence === 'cur'
          ? file.position
          : whence === 2 || whence === 'end'
            ? (await file.handle.stat()).size
            : undefined;
    if (base === undefined) throw new QgaError('GenericError', "Invalid parameter 'whence'");
    const position = base + offset;
    if (position < 0) throw new QgaError('GenericError', 'failed to seek file: Invalid argument');
    file.position = position;
    const size = (await file.handle.stat()).size;
    return { position, eof: position >= size };
  }

  private async flush(args: QgaArgs): Promise<Record<string, never>> {
    await this.file(args).handle.sync();
    return {};
  }

  private async close(args: QgaArgs): Promise<Record<string, never>> {
    const id = intArg(args, 'handle');
    const file = this.file(args);
    this.files.delete(id);
    await file.handle.close();
    return {};
  }
}
