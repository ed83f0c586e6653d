import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
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
