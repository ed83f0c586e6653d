import { open } from 'node:fs/promises';

/**
 * Flushes a folder's entries (new names, renames) to disk, so that a power cut after an
 * install cannot bring back a folder without its files. Windows cannot open folders this
 * way; there the rename itself is durable enough.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on folders; the data files themselves were synced.
  } finally {
    await handle.close();
  }
}
