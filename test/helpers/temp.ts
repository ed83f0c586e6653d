import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { resolvePaths } from '../../src/core/paths.js';

/**
 * A fresh folder removed when the test ends, with the short runtime folder (sockets, pid
 * files) twinbox derives for it should a test use it as TWINBOX_HOME.
 */
export function tempDir(t: Pick<ExecutionContext, 'teardown'>, prefix = 'tbx-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  forgetRuntimeDir(t, dir);
  return dir;
}

/** Removes, when the test ends, the runtime folder twinbox derives for `home` as TWINBOX_HOME. */
export function forgetRuntimeDir(t: Pick<ExecutionContext, 'teardown'>, home: string): void {
  t.teardown(() => rmSync(resolvePaths({ TWINBOX_HOME: home }).runtimeDir, { recursive: true, force: true }));
}
