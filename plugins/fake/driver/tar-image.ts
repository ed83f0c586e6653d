import { open } from 'node:fs/promises';
import type { CommandRunner } from 'twinbox/plugin-api';
import { fakeErrors } from './errors.js';

/** POSIX (ustar) and GNU tar headers carry "ustar" at offset 257. */
export async function isTarArchive(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(262);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    return bytesRead === header.length && header.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await handle.close();
  }
}

function isUnsafeMember(name: string): boolean {
  return name.startsWith('/') || name.split('/').includes('..');
}

/**
 * Unpacks an image archive into the guest root. Members are listed first and an archive with
 * an absolute or `..` path is refused as a whole: such a member could write outside the root.
 * `tar` itself keeps links that point outside from being followed while extracting.
 */
export async function extractTarImage(runner: CommandRunner, archive: string, root: string): Promise<void> {
  const listing = await runner.run('tar', ['-tf', archive], { env: { LC_ALL: 'C' } });
  if (listing.exitCode !== 0) throw fakeErrors.invalidImage(archive, listing.stderr.trim() || `tar exited with ${listing.exitCode}`);
  const unsafe = listing.stdout.split('\n').find((name) => name !== '' && isUnsafeMember(name));
  if (unsafe !== undefined) throw fakeErrors.unsafeImage(archive, unsafe);
  const extraction = await runner.run('tar', ['-xf', archive, '-C', root, '--no-same-owner'], { env: { LC_ALL: 'C' } });
  if (extraction.exitCode !== 0) {
    throw fakeErrors.invalidImage(archive, extraction.stderr.trim() || `tar exited with ${extraction.exitCode}`);
  }
}
