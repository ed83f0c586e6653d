import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SHARE_TAG_PATTERN,
  TwinboxError,
  writeFileAtomic,
  type GuestAgentSession,
  type HypervisorPlugin,
  type VmSharedFolder,
} from '../../plugin-api/index.js';
import { expandHome, type SharedFolder } from './shared-folders.js';

/**
 * Shared folders the hypervisor itself exports to the guest (QEMU: 9p) and twinbox mounts in
 * the guest through its agent at every start. Only folders with a POSIX guest path are
 * exported: `\\tsclient\NAME` ones are RDP drives, `Z:\` ones the package's business.
 */
export interface FolderShare {
  /** As the package wrote it (`~/Documents`). */
  host: string;
  /** `~/` expanded. */
  hostPath: string;
  guest: string;
  tag: string;
  readOnly: boolean;
}

/** What the guest mounted at the last start, kept for `twinbox status`. */
export interface ShareMount extends FolderShare {
  mounted: boolean;
  error?: string;
}

/**
 * `<vmDir>/twinbox-shared-folders.json`: the folders the VM was created to export (so a VM made
 * before a package or twinbox change is never asked to mount what it does not have), and what
 * the guest mounted at its last start. It lives and goes with the VM.
 */
export interface ShareRecord {
  exported: FolderShare[];
  last?: {
    /** When the mounts were tried, ISO 8601. */
    at: string;
    mounts: ShareMount[];
  };
}

const RECORD_FILE = 'twinbox-shared-folders.json';
const MOUNT_TIMEOUT_MS = 30_000;

/**
 * A 9p mount tag from the folder's place in the package and its guest path's last part:
 * `tbx0-documents`. The index keeps tags unique; only letters, digits, dashes and
 * underscores, cut to 31 bytes (QEMU's limit for a mount tag).
 */
export function shareTag(index: number, guestPath: string): string {
  const last = guestPath.split('/').filter(Boolean).at(-1) ?? '';
  const slug = last.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'root';
  const tag = `tbx${index}-${slug}`.slice(0, 31);
  if (!SHARE_TAG_PATTERN.test(tag)) throw new Error(`internal: mount tag ${tag} is not a valid tag`);
  return tag;
}

function posixGuestPath(path: string): boolean {
  return path.startsWith('/');
}

/** The package's folders the guest gets through 9p: none unless the hypervisor shares that way. */
export function ninePShares(folders: readonly SharedFolder[], hypervisor: Pick<HypervisorPlugin, 'folderSharing'>): FolderShare[] {
  if (!hypervisor.folderSharing?.ways.includes('9p')) return [];
  return folders.flatMap((folder, index) =>
    posixGuestPath(folder.guest) ? [{ host: folder.host, hostPath: expandHome(folder.host), guest: folder.guest, tag: shareTag(index, folder.guest), readOnly: folder.readOnly ?? false }] : [],
  );
}

export function vmSharedFolders(shares: readonly FolderShare[]): VmSharedFolder[] {
  return shares.map(({ hostPath, tag, readOnly }) => ({ hostPath, tag, readOnly }));
}

function problemOf(share: FolderShare): string | undefined {
  try {
    return statSync(share.hostPath).isDirectory() ? undefined : 'is a file, not a folder';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/**
 * Refuses (exit 2, before anything starts) when an exported folder is missing on the host or
 * is a file: QEMU would not start with it, and a guest without it would be half set up.
 */
export function checkShareFolders(workspace: string, shares: readonly FolderShare[]): void {
  const bad = shares.flatMap((share) => {
    const problem = problemOf(share);
    return problem ? [{ share, problem }] : [];
  });
  if (bad.length === 0) return;
  const list = bad.map(({ share, problem }) => `${share.host}${share.host === share.hostPath ? '' : ` (${share.hostPath})`} ${problem}`).join('; ');
  const first = bad[0]!;
  const fix =
    first.problem === 'does not exist'
      ? `create it (mkdir -p ${bad.map(({ share }) => JSON.stringify(share.hostPath)).join(' ')}), or remove the entry from the package's sharedFolders`
      : `replace it with a folder, or remove the entry from the package's sharedFolders`;
  throw new TwinboxError('shared-folder-missing', `the shared folder of workspace "${workspace}" ${list} on this host`, {
    hint: fix,
    exit: 'usage',
    details: { folders: bad.map(({ share, problem }) => ({ host: share.host, guest: share.guest, problem })) },
  });
}

/**
 * Mounts one export unless its tag is mounted already (a resumed guest keeps its mounts), after
 * making the folder. `$1` tag, `$2` guest path, `$3` mount options: never a shell string with
 * the values in it.
 */
const MOUNT_SCRIPT = [
  'tag=$1 dir=$2 opts=$3',
  `if awk -v t="$tag" '$1 == t && $3 == "9p" { found = 1 } END { exit !found }' /proc/mounts; then exit 0; fi`,
  'mkdir -p "$dir" || exit 1',
  'exec mount -t 9p -o "$opts" "$tag" "$dir"',
].join('\n');

function mountOptions(share: FolderShare): string {
  return `trans=virtio,version=9p2000.L${share.readOnly ? ',ro' : ''}`;
}

function lastLine(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8').trim().split('\n').at(-1)?.trim() ?? '';
}

/** Mounts every export in the guest; each outcome, mounted or not with why. */
export async function mountShares(session: GuestAgentSession, shares: readonly FolderShare[]): Promise<ShareMount[]> {
  const mounts: ShareMount[] = [];
  for (const share of shares) {
    try {
      const result = await session.exec({ path: '/bin/sh', args: ['-c', MOUNT_SCRIPT, 'sh', share.tag, share.guest, mountOptions(share)], timeoutMs: MOUNT_TIMEOUT_MS });
      if (result.exitCode === 0) mounts.push({ ...share, mounted: true });
      else mounts.push({ ...share, mounted: false, error: lastLine(result.stderr) || lastLine(result.stdout) || `mount exited ${result.exitCode ?? 'by a signal'}` });
    } catch (error) {
      mounts.push({ ...share, mounted: false, error: (error as Error).message });
    }
  }
  return mounts;
}

/** How one mount reads in a message: `~/Documents at /mnt/documents (read-only)`. */
export function describeMount(share: FolderShare): string {
  return `${share.host} at ${share.guest}${share.readOnly ? ' (read-only)' : ''}`;
}

/** The fix for a mount the guest refused, from what mount said. */
export function mountHint(workspace: string, error: string): string {
  if (/no such device|unknown filesystem/i.test(error)) {
    return 'the guest kernel has no 9p: it needs the 9p, 9pnet and 9pnet_virtio modules (Debian: linux-image-amd64 has them, linux-image-cloud-amd64 has none)';
  }
  return `see \`twinbox logs ${workspace}\` and \`twinbox status ${workspace}\`; the guest needs mount and 9p support`;
}

export function mountFailure(workspace: string, failed: readonly ShareMount[]): TwinboxError {
  const list = failed.map((mount) => `${describeMount(mount)}: ${mount.error}`).join('; ');
  return new TwinboxError('shared-folder-mount-failed', `the guest of "${workspace}" could not mount its shared folder ${list}`, {
    hint: mountHint(workspace, failed[0]?.error ?? ''),
    details: { folders: failed.map(({ host, guest, tag, error }) => ({ host, guest, tag, error })) },
  });
}

export async function writeShareRecord(vmDir: string, record: ShareRecord): Promise<void> {
  await writeFileAtomic(join(vmDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}

/** The record, or undefined for a VM that exports nothing (none was written, or it is unreadable). */
export async function readShareRecord(vmDir: string): Promise<ShareRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(vmDir, RECORD_FILE), 'utf8')) as ShareRecord;
    return Array.isArray(parsed?.exported) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Why the guest is without some of its shared folders since its last start, for `status`; undefined when it has them all. */
export function unmountedNote(record: ShareRecord | undefined): string | undefined {
  const failed = record?.last?.mounts.filter((mount) => !mount.mounted) ?? [];
  if (failed.length === 0) return undefined;
  return `shared folder ${failed.map((mount) => `${describeMount(mount)} not mounted (${mount.error})`).join('; ')}`;
}

/** Unmounts the export with tag `$1` from `$2`, where twinbox mounted it; nothing to do when it is not mounted. */
const UNMOUNT_SCRIPT = [
  'tag=$1 dir=$2',
  `awk -v t="$tag" '$1 == t && $3 == "9p" { found = 1 } END { exit !found }' /proc/mounts || exit 0`,
  'exec umount "$dir"',
].join('\n');

/**
 * QEMU saves no VM state while a 9p export is mounted in its guest ("Migration is disabled when
 * VirtFS export path … is mounted"), so a suspend unmounts them first; the resume mounts them
 * again. One a guest program holds busy stays mounted and is returned with why.
 */
export async function unmountShares(session: GuestAgentSession, shares: readonly FolderShare[]): Promise<ShareMount[]> {
  const failed: ShareMount[] = [];
  for (const share of shares) {
    const result = await session.exec({ path: '/bin/sh', args: ['-c', UNMOUNT_SCRIPT, 'sh', share.tag, share.guest], timeoutMs: MOUNT_TIMEOUT_MS });
    if (result.exitCode !== 0) failed.push({ ...share, mounted: true, error: lastLine(result.stderr) || `umount exited ${result.exitCode ?? 'by a signal'}` });
  }
  return failed;
}
