import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TwinboxPaths } from '../paths.js';
import { readJson, writeJsonAtomic } from '../workspace/atomic-json.js';
import type { Launcher } from './shim-script.js';

/** One file twinbox made on the host for a published app. */
export interface IntegrationFile {
  path: string;
  kind: 'shim' | 'desktop';
  workspace: string;
  app: string;
  /** SHA-256 of what twinbox wrote: a file changed since is the user's, and is left alone. */
  sha256: string;
}

/** `<data>/host-integration.json`: where twinbox put shims and menu entries, and which files are its own. */
export interface IntegrationRecord {
  binDir: string;
  applicationsDir: string;
  launcher: Launcher;
  files: IntegrationFile[];
}

export function recordFile(paths: TwinboxPaths): string {
  return join(paths.dataDir, 'host-integration.json');
}

export function lockFile(paths: TwinboxPaths): string {
  return join(paths.dataDir, 'host-integration.lock');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function readRecord(paths: TwinboxPaths): Promise<IntegrationRecord | undefined> {
  return readJson<IntegrationRecord>(recordFile(paths));
}

export function writeRecord(paths: TwinboxPaths, record: IntegrationRecord): Promise<void> {
  return writeJsonAtomic(recordFile(paths), record);
}
