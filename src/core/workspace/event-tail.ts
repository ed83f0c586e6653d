import { open, stat } from 'node:fs/promises';
import type { Clock } from '../../plugin-api/index.js';
import type { EventRecord } from '../events/event-log.js';

/** Enough for thousands of events; older ones are beyond what anyone asks `--lines` for. */
const TAIL_BYTES = 4 * 1024 * 1024;
const FOLLOW_POLL_MS = 250;

function parseLines(text: string): EventRecord[] {
  const records: EventRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as EventRecord);
    } catch {
      // A line cut by a crash mid-write: skip it, keep the rest readable.
    }
  }
  return records;
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** The last `count` events and the offset where following should continue. */
export async function lastEvents(file: string, count: number): Promise<{ records: EventRecord[]; offset: number }> {
  const size = await sizeOf(file);
  if (size === 0 || count <= 0) return { records: [], offset: size };
  const start = Math.max(0, size - TAIL_BYTES);
  const bytes = await readRange(file, start, size);
  // Starting mid-file lands inside a line; a last line still being written is left for the follower.
  const from = start > 0 ? bytes.indexOf(0x0a) + 1 : 0;
  const end = bytes.lastIndexOf(0x0a) + 1;
  const records = end > from ? parseLines(bytes.subarray(from, end).toString('utf8')) : [];
  return { records: records.slice(-count), offset: start + end };
}

/** Calls `onRecord` for each event appended after `offset`, until the signal aborts. */
export async function followEvents(file: string, offset: number, onRecord: (record: EventRecord) => void, signal: AbortSignal, clock: Clock): Promise<void> {
  let position = offset;
  // Bytes, not text: a read can end inside a multi-byte character.
  let partial = Buffer.alloc(0);
  while (!signal.aborted) {
    const size = await sizeOf(file);
    if (size < position) {
      // The log was replaced (reset, rotation): read it from its start.
      position = 0;
      partial = Buffer.alloc(0);
    }
    if (size > position) {
      const bytes = Buffer.concat([partial, await readRange(file, position, size)]);
      position = size;
      const complete = bytes.lastIndexOf(0x0a) + 1;
      partial = bytes.subarray(complete);
      for (const record of parseLines(bytes.subarray(0, complete).toString('utf8'))) onRecord(record);
    }
    try {
      await clock.sleep(FOLLOW_POLL_MS, signal);
    } catch {
      return;
    }
  }
}
