import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sweepOnce } from './temp-sweep.js';

export interface AtomicWriteOptions {
  /** The file's mode, set whatever the umask (a systemd user service's may be 077); 0600 unless told. */
  mode?: number;
  /** Creates the folder (and its parents) with this mode when it is missing; without it a missing folder fails the write. */
  dirMode?: number;
}

/**
 * The temporary file a write goes through, beside its target: `.<target>.<pid>.<8 hex>.tmp`,
 * the name the temp sweep knows (temp-sweep.ts), so one left by a writer that died is removed.
 */
function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Flushes the folder's entry of the renamed file, so the rename itself survives a power cut.
 * Best effort: the new file is in place whatever happens here, and some systems (Windows)
 * cannot open or flush a folder.
 */
function syncFolderSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not possible here: the rename is as durable as the system makes it
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  try {
    await handle?.sync();
  } catch {
    // as in syncFolderSync
  } finally {
    await handle?.close();
  }
}

/**
 * Replaces `path` with `content` so that a reader in another process (status, a resumed
 * setup, node_exporter, the fake guest) never sees half a file and a kill -9 or a power cut in
 * the middle leaves the previous version: a private temporary file beside the target is
 * written, flushed (fsync) and renamed over it, then the folder is flushed. On any failure the
 * temporary file is removed. The first write into a folder in a process sweeps it of
 * temporary files whose writer died.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const dir = dirname(path);
  if (options.dirMode !== undefined) await mkdir(dir, { recursive: true, mode: options.dirMode });
  sweepOnce(dir);
  const temporary = temporaryName(path);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dir);
}

/** `writeFileAtomic` for synchronous code (the policy read while the composition root is built, a systemd unit). */
export function writeFileAtomicSync(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const mode = options.mode ?? 0o600;
  const dir = dirname(path);
  if (options.dirMode !== undefined) mkdirSync(dir, { recursive: true, mode: options.dirMode });
  sweepOnce(dir);
  const temporary = temporaryName(path);
  const fd = openSync(temporary, 'wx', mode);
  let closed = false;
  try {
    fchmodSync(fd, mode);
    writeFileSync(fd, content);
    fsyncSync(fd);
    closed = true;
    closeSync(fd);
    renameSync(temporary, path);
  } catch (error) {
    try {
      if (!closed) closeSync(fd);
    } catch {
      // only the temporary file is left to remove
    }
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolderSync(dir);
}
