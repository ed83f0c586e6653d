import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from 'twinbox/plugin-api';

export interface VBoxVersion {
  /** "7.1.4" */
  version: string;
  /** Build revision ("165100"), when printed. */
  revision?: string;
  /** Warnings VBoxManage printed around the version (a kernel module not loaded…). */
  warnings: string[];
}

/** Reads `VBoxManage --version` output: `7.1.4r165100`, or a distribution build like `6.1.38_Ubuntur153438`. */
export function parseVersion(output: string): VBoxVersion | undefined {
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  for (const line of lines) {
    const match = /^(\d+\.\d+\.\d+)(?:_[A-Za-z0-9]+?)?(?:r(\d+))?\s*$/.exec(line.trim());
    if (match) {
      const warnings = lines.filter((other) => /^WARNING:/i.test(other.trim())).map((other) => other.trim());
      return { version: match[1]!, revision: match[2], warnings };
    }
  }
  return undefined;
}

export function kernelModuleMissing(version: VBoxVersion): boolean {
  return version.warnings.some((warning) => /vboxdrv/i.test(warning));
}

interface CacheEntry {
  mtimeMs: number;
  version: string;
  revision?: string;
}

const CACHE_FILE = 'vboxmanage-version.json';

// Every plugin instance in this process shares what was read: `--version` costs a process
// start, and status screens ask often (Vagrant called it 11 times per status, #6468).
const processCache = new Map<string, VBoxVersion>();

function binaryMtime(binary: string): number | undefined {
  try {
    return statSync(binary).mtimeMs;
  } catch {
    return undefined;
  }
}

function readCacheFile(cacheDir: string): Record<string, CacheEntry> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(cacheDir, CACHE_FILE), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, CacheEntry>) : {};
  } catch {
    return {};
  }
}

function writeCacheFile(cacheDir: string, entries: Record<string, CacheEntry>): void {
  try {
    writeFileAtomicSync(join(cacheDir, CACHE_FILE), `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
  } catch {
    // A cache that cannot be written only costs a `--version` call next time.
  }
}

/**
 * The version of the VBoxManage at `binary`, read once: from this process's memory, else
 * from the cache file when the binary's path and modification time still match (an upgrade
 * changes the mtime), else by running `read()`. A binary whose mtime cannot be read (not a
 * real file) is never cached across instances.
 */
export async function cachedVersion(binary: string, cacheDir: string, read: () => Promise<VBoxVersion>): Promise<VBoxVersion> {
  const mtimeMs = binaryMtime(binary);
  const key = mtimeMs === undefined ? undefined : `${binary}\u0000${mtimeMs}`;
  if (key !== undefined) {
    const known = processCache.get(key);
    if (known) return known;
    const stored = readCacheFile(cacheDir)[binary];
    if (stored && stored.mtimeMs === mtimeMs && typeof stored.version === 'string') {
      const version: VBoxVersion = { version: stored.version, revision: stored.revision, warnings: [] };
      processCache.set(key, version);
      return version;
    }
  }
  const version = await read();
  // A warning (kernel module missing) can be fixed without touching the binary: keep asking.
  if (key !== undefined && mtimeMs !== undefined && version.warnings.length === 0) {
    processCache.set(key, version);
    const entries = readCacheFile(cacheDir);
    entries[binary] = { mtimeMs, version: version.version, revision: version.revision };
    writeCacheFile(cacheDir, entries);
  }
  return version;
}
