import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_MANIFEST_BYTES, storedManifestIdentity } from '../package/manifest-rules.js';
import { parseBoundedJson } from '../policy/bounded-json.js';
import { FileShapeError, readRegularFileSync } from '../policy/read-regular-file.js';
import { NAME_PATTERN, writeFileAtomicSync } from '../../plugin-api/index.js';
import { lockHolder } from './lock.js';
import type { WorkspaceEntry } from './workspace-entry.js';

/**
 * Each installed workspace's own copy of its registry entry, `<data>/workspaces/NAME/registry-entry.json`:
 * the registry is a cache of what is on disk, and this is what a damaged or deleted registry is
 * rebuilt from (with the VM it names, so a VM still running is adopted, not orphaned).
 */
export const ENTRY_RECORD_FILE = 'registry-entry.json';
const MAX_RECORD_BYTES = 64 * 1024;

export function entryRecordPath(dataDir: string, name: string): string {
  return join(dataDir, 'workspaces', name, ENTRY_RECORD_FILE);
}

/**
 * Writes the copy beside the workspace's state, only when its folder exists: a copy never
 * creates the folder (an uninstall that removed it must not see it come back). Atomic
 * (`writeFileAtomicSync`), best effort: the registry itself is the record of the write; the
 * copy is how it is found again.
 */
export function writeEntryRecord(dataDir: string, entry: WorkspaceEntry, mode: number): void {
  const file = entryRecordPath(dataDir, entry.name);
  if (!existsSync(join(dataDir, 'workspaces', entry.name))) return;
  try {
    writeFileAtomicSync(file, `${JSON.stringify(entry, null, 2)}\n`, { mode });
  } catch {
    // the registry has the entry; only its copy is missing
  }
}

export function removeEntryRecord(dataDir: string, name: string): void {
  rmSync(entryRecordPath(dataDir, name), { force: true });
}

function readJsonFile(file: string, maxBytes: number): unknown {
  try {
    return parseBoundedJson(readRegularFileSync(file, maxBytes).toString('utf8'));
  } catch (error) {
    if (error instanceof FileShapeError || error instanceof SyntaxError || (error as Error).name === 'JsonLimitError') return undefined;
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A recorded entry that still describes this folder and an installed package. */
function usableRecord(value: unknown, name: string): WorkspaceEntry | undefined {
  if (!isObject(value) || value.name !== name || typeof value.version !== 'string' || typeof value.storeDir !== 'string') return undefined;
  if (typeof value.imagePath !== 'string' || typeof value.installedAt !== 'string' || !isObject(value.setup)) return undefined;
  if (!existsSync(join(value.storeDir, 'workspace.json'))) return undefined;
  return value as unknown as WorkspaceEntry;
}

/** For installs made before the copy existed: the entry an installed package in the store implies. */
function entryFromStore(dataDir: string, name: string): WorkspaceEntry | undefined {
  const root = join(dataDir, 'store', name);
  let versions: string[];
  try {
    versions = readdirSync(root).filter((version) => !version.startsWith('.'));
  } catch {
    return undefined;
  }
  const found: Array<{ entry: WorkspaceEntry; mtimeMs: number }> = [];
  for (const version of versions) {
    const storeDir = join(root, version);
    const identity = storedManifestIdentity(readJsonFile(join(storeDir, 'workspace.json'), MAX_MANIFEST_BYTES));
    if (!identity || identity.name !== name || identity.version !== version) continue;
    const stats = statSync(storeDir);
    found.push({
      mtimeMs: stats.mtimeMs,
      entry: {
        name,
        version,
        description: identity.description,
        installedAt: stats.mtime.toISOString(),
        storeDir,
        imagePath: join(storeDir, identity.imageFile),
        setup: { state: 'pending', updatedAt: new Date().toISOString() },
      },
    });
  }
  // Two versions: an upgrade under way; the newer folder is the one being installed.
  return found.sort((a, b) => b.mtimeMs - a.mtimeMs)[0]?.entry;
}

export interface RebuiltEntry {
  entry: WorkspaceEntry;
  /** `record`: its own copy (VM and setup state kept); `store`: only its package was found. */
  from: 'record' | 'store';
}

/** The entries the workspace folders and the store hold, skipping names in `known`. */
export function entriesOnDisk(dataDir: string, known: ReadonlySet<string>): RebuiltEntry[] {
  const names = new Set<string>();
  for (const folder of ['workspaces', 'store']) {
    try {
      for (const name of readdirSync(join(dataDir, folder))) if (NAME_PATTERN.test(name) && !known.has(name)) names.add(name);
    } catch {
      // no such folder: nothing installed there
    }
  }
  const rebuilt: RebuiltEntry[] = [];
  for (const name of [...names].sort()) {
    // A workspace whose lock is held (an install committing, an uninstall under way) is its holder's to write.
    if (lockHolder(join(dataDir, 'workspaces', name, 'lock'))) continue;
    const record = usableRecord(readJsonFile(entryRecordPath(dataDir, name), MAX_RECORD_BYTES), name);
    if (record) rebuilt.push({ entry: record, from: 'record' });
    else {
      const entry = entryFromStore(dataDir, name);
      if (entry) rebuilt.push({ entry, from: 'store' });
    }
  }
  return rebuilt;
}
