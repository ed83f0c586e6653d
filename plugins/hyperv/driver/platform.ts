import { readFileSync } from 'node:fs';
import { normalize as windowsNormalize } from 'node:path/win32';
import { TwinboxError } from 'twinbox/plugin-api';

/** Where twinbox runs relative to Hyper-V: on Windows itself, in WSL beside it, or elsewhere. */
export type HostKind = 'windows' | 'wsl' | 'other';

export function hostKind(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): HostKind {
  if (platform === 'win32') return 'windows';
  if (platform !== 'linux') return 'other';
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return 'wsl';
  try {
    return /microsoft|wsl/i.test(readFileSync('/proc/sys/kernel/osrelease', 'utf8')) ? 'wsl' : 'other';
  } catch {
    return 'other';
  }
}

/**
 * A host path as Hyper-V (a Windows process) sees it. From WSL only the Windows drives
 * mounted under /mnt/<letter> qualify: Hyper-V cannot keep disks on the \\wsl$ share.
 */
export function toWindowsPath(path: string, host: HostKind): string {
  if (host === 'windows') return windowsNormalize(path);
  const drive = /^\/mnt\/([a-zA-Z])(?:\/(.*))?$/.exec(path);
  if (host === 'wsl' && drive) return windowsNormalize(`${drive[1]!.toUpperCase()}:\\${(drive[2] ?? '').replace(/\//g, '\\')}`);
  throw new TwinboxError('unsupported-path', `Hyper-V cannot use ${path}: it is not on a Windows drive`, {
    hint: host === 'wsl' ? 'keep twinbox data on a Windows drive, e.g. TWINBOX_HOME=/mnt/c/Users/<you>/twinbox' : 'Hyper-V runs only on Windows',
  });
}
