import { join } from 'node:path';
import { processAlive } from '../../plugin-api/index.js';
import { readJson, writeJsonAtomic } from '../workspace/atomic-json.js';
import type { WorkspaceLayout } from '../workspace/layout.js';

export type MaintenanceResult = 'success' | 'failed' | 'overrun' | 'skipped-in-use' | 'interrupted' | 'missed';

export const MAINTENANCE_RESULTS: readonly MaintenanceResult[] = ['success', 'failed', 'overrun', 'skipped-in-use', 'interrupted', 'missed'];

/** The state a window found the workspace in, and puts it back to. */
export type BeforeState = 'running' | 'stopped' | 'suspended';

/** A window in progress: written before anything changes, so a window cut short (kill -9) is finished by the next one to look. */
export interface MaintenanceInProgress {
  pid: number;
  startedAt: string;
  /** The scheduled time it is for; absent for `twinbox maintenance run`. */
  slot?: string;
  before: BeforeState;
  /** When the window closes (maintenance.windowMinutes after its start), by the runner's clock. */
  deadline: string;
  whenInUse: 'skip' | 'wait';
  phase: 'starting' | 'waiting-for-apps' | 'commands' | 'putting-back';
  /** Commands done so far. */
  done: number;
}

export interface MaintenanceOutcome {
  result: MaintenanceResult;
  startedAt: string;
  durationMs: number;
  slot?: string;
  error?: string;
}

/** `<workspace>/maintenance.json`: the window in progress, the last one's outcome and the last success. */
export interface MaintenanceRecord {
  current?: MaintenanceInProgress;
  last?: MaintenanceOutcome;
  /** When the last window that succeeded ended. */
  lastSuccessAt?: string;
  /** The last scheduled time handled (run, skipped or missed): the next due one comes after it. */
  lastSlot?: string;
}

export function maintenanceFile(layout: WorkspaceLayout): string {
  return join(layout.workspaceDir, 'maintenance.json');
}

export async function readMaintenanceRecord(layout: WorkspaceLayout): Promise<MaintenanceRecord> {
  return (await readJson<MaintenanceRecord>(maintenanceFile(layout))) ?? {};
}

export function writeMaintenanceRecord(layout: WorkspaceLayout, record: MaintenanceRecord): Promise<void> {
  return writeJsonAtomic(maintenanceFile(layout), record);
}

/** A window in progress whose process is gone (kill -9, power cut), or undefined. */
export function interruptedWindow(record: MaintenanceRecord): MaintenanceInProgress | undefined {
  return record.current && !processAlive(record.current.pid) ? record.current : undefined;
}
