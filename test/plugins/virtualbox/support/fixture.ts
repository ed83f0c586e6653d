import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LifecycleFixture } from '../transcripts/lifecycle.js';
import { VBOXMANAGE, type tempPaths } from './harness.js';

export const DEMO_UUID = '1b4bd9d4-5c8a-4f1e-9a51-7d3c2b1f6e01';

export function demoFixture(paths: ReturnType<typeof tempPaths>, binary = VBOXMANAGE): LifecycleFixture {
  const imagesDir = join(paths.root, 'images');
  mkdirSync(imagesDir, { recursive: true });
  return {
    binary,
    id: 'demo',
    uuid: DEMO_UUID,
    vmDir: join(paths.root, 'vms', 'demo'),
    socketPath: join(paths.runtimeDir, 'vbox-demo.sock'),
    imagesDir,
  };
}
