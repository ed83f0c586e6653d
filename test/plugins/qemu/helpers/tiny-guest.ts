import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { WorkspaceManifestInput } from '../../../../src/core/package/manifest-schema.js';

const run = promisify(execFile);

/** The repository root, from build/test/plugins/qemu/helpers/. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');

let building: Promise<string> | undefined;

/**
 * Path of the tiny guest's qcow2, built by scripts/build-tiny-guest.sh when missing or
 * out of date (the script returns at once when it is current, and locks against parallel
 * builds from other test files).
 */
export function tinyGuestImage(): Promise<string> {
  building ??= run('bash', [join(repoRoot, 'scripts', 'build-tiny-guest.sh')], { maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 }).then(
    ({ stdout }) => stdout.trim().split('\n').pop() ?? '',
    (error: Error & { stderr?: string }) => {
      throw new Error(`scripts/build-tiny-guest.sh failed: ${error.message}\n${error.stderr ?? ''}`);
    },
  );
  return building;
}

/** The fields of a workspace.json that put the tiny guest on QEMU, before a test's own ones. */
export const TINY_GUEST_ON_QEMU: Pick<WorkspaceManifestInput, 'image' | 'hypervisors'> = {
  image: { file: 'tiny-guest.qcow2', format: 'qcow2', sha256: '0'.repeat(64), os: 'linux' },
  hypervisors: { allowed: ['qemu'], preferred: [] },
};
