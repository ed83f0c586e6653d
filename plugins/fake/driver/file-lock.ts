import { open, readFile, rm, stat } from 'node:fs/promises';
import { isProcessAlive } from './process-check.js';

const RETRY_MS = 10;
/** A lock this old whose holder we cannot identify is taken over (a crash between open and write). */
const ORPHAN_AFTER_MS = 10_000;

async function holderIsGone(path: string, content: string): Promise<boolean> {
  try {
    const holder = Number.parseInt(content, 10);
    if (Number.isInteger(holder) && holder > 0) return !(await isProcessAlive(holder));
    return Date.now() - (await stat(path)).mtimeMs > ORPHAN_AFTER_MS;
  } catch {
    return false;
  }
}

async function readHolder(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Removes a lock left by a dead process. Read again just before removing: if another
 * waiter took it over meanwhile, the content changed and the new lock is left alone.
 */
async function takeOverIfOrphaned(path: string): Promise<boolean> {
  const content = await readHolder(path);
  if (content === undefined) return true;
  if (!(await holderIsGone(path, content))) return false;
  if ((await readHolder(path)) !== content) return true;
  await rm(path, { force: true });
  return true;
}

export class LockTimeoutError extends Error {
  constructor(readonly path: string) {
    super(`timed out waiting for lock ${path}`);
  }
}

/**
 * Runs `action` while holding an exclusive lock file. Works across processes (the CLI, the
 * guest process, a second CLI); a lock left by a dead process is taken over.
 */
export async function withFileLock<T>(path: string, timeoutMs: number, action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await takeOverIfOrphaned(path)) continue;
      if (Date.now() > deadline) throw new LockTimeoutError(path);
      await new Promise((done) => setTimeout(done, RETRY_MS));
    }
  }
  try {
    return await action();
  } finally {
    await rm(path, { force: true });
  }
}
