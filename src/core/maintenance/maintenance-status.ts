import type { Settings } from '../settings/settings.js';
import { CoreTokens } from '../tokens.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { nextWindow } from './maintenance-due.js';
import { interruptedWindow, readMaintenanceRecord, type MaintenanceOutcome } from './maintenance-record.js';

/** What `status --json` tells of a workspace's maintenance window. */
export interface MaintenanceStatus {
  /** When the next window opens (UTC, ISO 8601), with a schedule. */
  next?: string;
  /** A window running now (or cut short, finished by the agent's next round). */
  running?: { startedAt: string; before: string; phase: string; interrupted?: boolean };
  last?: Pick<MaintenanceOutcome, 'result' | 'startedAt' | 'durationMs' | 'error'>;
  lastSuccessAt?: string;
}

/** The maintenance part of a workspace's status: undefined when it has no schedule and never ran one. */
export async function maintenanceStatus(ws: Workspace): Promise<MaintenanceStatus | undefined> {
  const settings = ws.core.settings;
  let next: Date | undefined;
  try {
    next = nextWindow(settings.get('maintenance.schedule'), ws.clock.now());
  } catch {
    // A schedule machine policy refuses (no last good version): `twinbox policy` says why.
  }
  const record = await readMaintenanceRecord(ws.layout);
  if (!next && !record.last && !record.current) return undefined;
  const status: MaintenanceStatus = {};
  if (next) status.next = next.toISOString();
  if (record.current) {
    const { startedAt, before, phase } = record.current;
    status.running = { startedAt, before, phase, ...(interruptedWindow(record) ? { interrupted: true } : {}) };
  }
  if (record.last) {
    const { result, startedAt, durationMs, error } = record.last;
    status.last = { result, startedAt, durationMs, ...(error ? { error } : {}) };
  }
  if (record.lastSuccessAt) status.lastSuccessAt = record.lastSuccessAt;
  return status;
}
