import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const OS_RELEASE = [
  'ID=twinbox-fake',
  'NAME="twinbox fake guest"',
  'PRETTY_NAME="twinbox fake guest (simulated)"',
  'VERSION_ID=1',
  '',
].join('\n');

async function writeIfMissing(path: string, content: string): Promise<void> {
  try {
    await access(path);
  } catch {
    await writeFile(path, content, { mode: 0o644 });
  }
}

/**
 * Gives the guest filesystem what an OS always has and an image archive may lack: an OS
 * identity, a host name, a scratch folder and the folder where desktop entries (the guest's
 * apps) live.
 */
export async function seedGuestRoot(root: string, hostName: string): Promise<void> {
  await mkdir(join(root, 'etc'), { recursive: true, mode: 0o755 });
  await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o1777 });
  await mkdir(join(root, 'usr', 'share', 'applications'), { recursive: true, mode: 0o755 });
  await writeIfMissing(join(root, 'etc', 'os-release'), OS_RELEASE);
  await writeIfMissing(join(root, 'etc', 'hostname'), `${hostName}\n`);
}
