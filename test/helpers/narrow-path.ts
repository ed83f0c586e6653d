import { execFileSync } from 'node:child_process';
import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { tempDir } from './temp.js';

/**
 * A PATH holding only the named programs (linked from this machine's), for a program under
 * test that must not find the others: without socat, the fake guest it boots has no console ports.
 */
export function narrowPath(t: Pick<ExecutionContext, 'teardown'>, programs: readonly string[]): string {
  const bin = tempDir(t, 'tbx-bin-');
  for (const program of programs) {
    const found = execFileSync('sh', ['-c', 'command -v "$1"', 'sh', program], { encoding: 'utf8' }).trim();
    symlinkSync(found, join(bin, program));
  }
  return bin;
}

/**
 * This machine's PATH without the named programs: every other program of each PATH folder is
 * linked into one temporary folder, so a program under test finds everything but those.
 */
export function pathWithout(t: Pick<ExecutionContext, 'teardown'>, left: readonly string[], path = process.env.PATH ?? '/usr/bin:/bin'): string {
  const bin = tempDir(t, 'tbx-bin-');
  const skip = new Set(left);
  const linked = new Set<string>();
  for (const dir of path.split(':').filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (skip.has(name) || linked.has(name)) continue;
      linked.add(name);
      symlinkSync(join(dir, name), join(bin, name));
    }
  }
  return bin;
}
