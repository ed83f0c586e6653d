import { readJson, writeJsonAtomic } from '../workspace/atomic-json.js';
import type { WorkspaceLayout } from '../workspace/layout.js';

/**
 * The outcome of a first-time setup, kept for monitoring as MED-V kept its status record:
 * who, on which host, status 0 or the failing step's event code, and when (UTC).
 */
export interface SetupStatusRecord {
  workspace: string;
  version: string;
  user: string;
  host: string;
  /** 0 when the workspace is ready, else the failing step's event code. */
  status: number;
  /** UTC, ISO 8601. */
  time: string;
  durationMs: number;
  step?: string;
  message?: string;
  /** The last log lines of the failing step. */
  log?: string[];
}

export function writeStatusRecord(layout: WorkspaceLayout, record: SetupStatusRecord): Promise<void> {
  return writeJsonAtomic(layout.statusFile, record);
}

export function readStatusRecord(layout: WorkspaceLayout): Promise<SetupStatusRecord | undefined> {
  return readJson<SetupStatusRecord>(layout.statusFile);
}
