import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './tiny-guest.js';

const run = promisify(execFile);

let building: Promise<string> | undefined;

/**
 * Why the real Debian guest cannot be built here, or undefined when it can: the build needs
 * root (mmdebstrap --mode=root) and Debian's image tools (`.ci/run` installs them).
 */
export function debianGuestMissing(): string | undefined {
  if (process.arch !== 'x64') return 'the Debian guest is an x86_64 image';
  if (process.getuid?.() !== 0) return 'building the Debian guest needs root (mmdebstrap --mode=root)';
  for (const program of ['mmdebstrap', 'mkfs.ext4', 'sfdisk', 'syslinux', 'mcopy']) {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', program], { stdio: 'ignore' });
    } catch {
      return `${program} is not installed (apt-get install mmdebstrap e2fsprogs fdisk syslinux syslinux-common mtools dosfstools)`;
    }
  }
  return undefined;
}

/**
 * Path of the Debian guest's qcow2, built by scripts/build-debian-guest.sh when missing or out
 * of date (it returns at once when current, and locks against parallel builds). The build's
 * own summary line (sizes and time) is passed to `log`.
 */
export function debianGuestImage(log: (line: string) => void = () => undefined): Promise<string> {
  building ??= run('bash', [join(repoRoot, 'scripts', 'build-debian-guest.sh')], { maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60_000 }).then(
    ({ stdout, stderr }) => {
      const summary = stderr.split('\n').filter((line) => line.startsWith('build-debian-guest: ') && line.includes('built in'));
      for (const line of summary) log(line);
      return stdout.trim().split('\n').pop() ?? '';
    },
    (error: Error & { stderr?: string }) => {
      throw new Error(`scripts/build-debian-guest.sh failed: ${error.message}\n${(error.stderr ?? '').split('\n').slice(-30).join('\n')}`);
    },
  );
  return building;
}
