import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../workspace/atomic-json.js';
import type { WorkspaceLayout } from '../workspace/layout.js';

/** The host agent's last health check of a workspace's guest agent (`<workspace>/agent-health.json`), which metrics read. */
export interface HealthRecord {
  /** UTC, ISO 8601, by the agent's clock. */
  checkedAt: string;
  reachable: boolean;
  /** Round-trip time of the guest-agent ping, when it answered. */
  roundTripMs?: number;
  /** Why it did not answer. */
  reason?: string;
}

export function healthFile(layout: WorkspaceLayout): string {
  return join(layout.workspaceDir, 'agent-health.json');
}

export function writeHealthRecord(layout: WorkspaceLayout, record: HealthRecord): Promise<void> {
  return writeJsonAtomic(healthFile(layout), record);
}

export function readHealthRecord(layout: WorkspaceLayout): Promise<HealthRecord | undefined> {
  return readJson<HealthRecord>(healthFile(layout));
}
