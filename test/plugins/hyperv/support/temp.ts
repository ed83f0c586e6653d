import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LifecyclePaths } from '../transcripts/lifecycle.js';

/** Real folders for the host-side file checks (the image must exist before it is imported). */
export function tempLifecyclePaths(t: { teardown: (fn: () => void) => void }): LifecyclePaths & { root: string } {
  const root = mkdtempSync(join(tmpdir(), 'tbx-hv-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const imagesDir = join(root, 'images');
  mkdirSync(imagesDir, { recursive: true });
  const source = join(root, 'debian-12.vhdx');
  writeFileSync(source, 'vhdxfile');
  return { root, source, imagesDir, vmDir: join(root, 'vms', 'demo') };
}
