import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { sweepOnce } from '../workspace/temp-sweep.js';

/**
 * Synchronous because the policy is read while the composition root is built, which is
 * synchronous; atomic (private temporary file, flush, rename) so a reader never sees half.
 */
export function writeJsonSync(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  sweepOnce(dirname(path));
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: only the temporary file is left to remove.
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}
