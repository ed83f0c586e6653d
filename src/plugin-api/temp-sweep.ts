import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './file-lock.js';

/**
 * Every temporary file twinbox writes is named `[.]<target>.<pid>.<8 hex>.tmp` beside its
 * target, so a later run can tell whose it is: one whose writer is dead (kill -9 between the
 * write and the rename) is swept. A minute's grace covers a writer on another host sharing
 * the folder, whose pid means nothing here.
 */
export const TEMPORARY_NAME = /^\.?.+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const GRACE_MS = 60_000;

const swept = new Set<string>();

/** Removes dead writers' temporary files from `dir`; returns their names. Best effort, never throws. */
export function sweepDeadTemporaries(dir: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY_NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs < GRACE_MS) continue;
      unlinkSync(file);
      removed.push(name);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

/** The first write into a folder in this process sweeps it: one readdir per folder per process. */
export function sweepOnce(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  sweepDeadTemporaries(dir);
}
