import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventRecord } from '../../../../src/core/events/event-log.js';

/** The workspace's event log, parsed. */
export async function workspaceEvents(workspaceDir: string): Promise<EventRecord[]> {
  try {
    return (await readFile(join(workspaceDir, 'events.jsonl'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as EventRecord);
  } catch {
    return [];
  }
}
