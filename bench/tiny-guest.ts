import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The tiny real guest's qcow2 (built by scripts/build-tiny-guest.sh when missing), or
 * undefined when QEMU or the guest is not available here: the QEMU benchmarks are skipped then.
 */
export function tinyGuestForBench(what: string): string | undefined {
  const qemuMissing = spawnSync('which', ['qemu-system-x86_64']).status !== 0;
  const built = qemuMissing ? undefined : spawnSync('bash', [join(REPO, 'scripts', 'build-tiny-guest.sh')], { encoding: 'utf8' });
  const image = built?.status === 0 ? built.stdout.trim().split('\n').pop() : undefined;
  if (!image) process.stderr.write(`skipping ${what}: QEMU or the tiny guest is not available\n`);
  return image;
}
