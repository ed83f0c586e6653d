import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { WorkspaceManifest } from '../package/manifest-schema.js';

export type SharedFolder = WorkspaceManifest['sharedFolders'][number];

/** A host path as the guest sees it, with the shared folder that made it visible. */
export interface MappedPath {
  guestPath: string;
  folder: SharedFolder;
}

export function expandHome(path: string): string {
  return path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}

/** Real paths on both sides: a symbolic link must not smuggle a path out of (or into) a share. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isWindowsPath(path: string): boolean {
  return /^[A-Za-z]:\\/.test(path) || path.startsWith('\\\\');
}

function joinGuest(base: string, parts: string[]): string {
  if (parts.length === 0) return base;
  const separator = isWindowsPath(base) ? '\\' : '/';
  return `${base.endsWith(separator) ? base : `${base}${separator}`}${parts.join(separator)}`;
}

/**
 * Maps a host path into the guest through the package's shared folders (the deepest folder
 * containing it wins), or undefined when no shared folder contains it.
 */
export function mapHostPath(folders: readonly SharedFolder[], hostPath: string): MappedPath | undefined {
  const target = real(hostPath);
  let best: { folder: SharedFolder; parts: string[]; depth: number } | undefined;
  for (const folder of folders) {
    const root = real(expandHome(folder.host));
    const inside = relative(root, target);
    if (inside.startsWith('..') || isAbsolute(inside)) continue;
    const depth = root.split(sep).length;
    if (!best || depth > best.depth) best = { folder, parts: inside === '' ? [] : inside.split(sep), depth };
  }
  return best ? { guestPath: joinGuest(best.folder.guest, best.parts), folder: best.folder } : undefined;
}

/** How the shared folders read in a message: `~/Documents (as /mnt/documents)`. */
export function describeFolders(folders: readonly SharedFolder[]): string {
  return folders.map((folder) => `${folder.host} (as ${folder.guest})`).join(', ');
}
