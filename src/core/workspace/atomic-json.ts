import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sweepOnce } from './temp-sweep.js';

/**
 * A reader in another process (status, a resumed setup, node_exporter) must never see half a
 * file, and a kill -9 in the middle of a write must leave the previous version: write a
 * private temporary file beside the target, flush it, then rename it over the target. The
 * mode is set explicitly, whatever the umask (a systemd user service's may be 077).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o600): Promise<void> {
  sweepOnce(dirname(path));
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The parsed file, or undefined when it is missing or unreadable (callers treat both as "nothing recorded"). */
export async function readJson<T>(path: string): Promise<T | undefined> {
  // A missing file is the common case for pollers (no setup record yet, no catalogue): a stat
  // that returns nothing is far cheaper than a failed open, which builds an error and its stack.
  if (!statSync(path, { throwIfNoEntry: false })) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
