import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { ExecutionContext } from 'ava';

/**
 * Mounts a small tmpfs at `dir` (needs root, as in CI) and unmounts it when the test ends.
 * Returns the reason when mounting is not permitted here, so the test can say why it skipped.
 */
export function mountTmpfs(t: ExecutionContext, dir: string, size: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    return `cannot mount a tmpfs here (${((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).trim()})`;
  }
  t.teardown(() => {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  });
  return undefined;
}
