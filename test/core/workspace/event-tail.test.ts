import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { EventLog, type EventRecord } from '../../../src/core/events/event-log.js';
import { followEvents, lastEvents } from '../../../src/core/workspace/event-tail.js';
import { realClock } from '../../plugins/fake/helpers/fake-fixture.js';
import { tempDir } from '../../helpers/temp.js';

function logWith(count: number, t: Parameters<typeof tempDir>[0]): string {
  const file = join(tempDir(t), 'events.jsonl');
  const log = new EventLog(file);
  for (let i = 1; i <= count; i++) log.event('info', 2000, `event ${i}`);
  return file;
}

test('the last events are read from the end of the log', async (t) => {
  const file = logWith(30, t);
  const { records } = await lastEvents(file, 3);
  t.deepEqual(records.map((record) => record.message), ['event 28', 'event 29', 'event 30']);
  t.deepEqual((await lastEvents(join(tempDir(t), 'none.jsonl'), 5)).records, []);
});

test('a damaged line is skipped and a line still being written is left for the follower', async (t) => {
  const file = logWith(2, t);
  appendFileSync(file, '{"broken\n{"time":"x","level":"info","category":"vm","message":"half');
  const { records, offset } = await lastEvents(file, 10);
  t.deepEqual(records.map((record) => record.message), ['event 1', 'event 2']);
  const seen: EventRecord[] = [];
  const stop = new AbortController();
  const following = followEvents(file, offset, (record) => {
    seen.push(record);
    if (seen.length === 2) stop.abort();
  }, stop.signal, realClock);
  appendFileSync(file, ' written"}\n');
  new EventLog(file).event('warn', 2010, 'crashed');
  await following;
  t.deepEqual(seen.map((record) => record.message), ['half written', 'crashed']);
});

test('following starts again from the top when the log is replaced', async (t) => {
  const file = logWith(5, t);
  const { offset } = await lastEvents(file, 1);
  const seen: string[] = [];
  const stop = new AbortController();
  const following = followEvents(file, offset, (record) => {
    seen.push(record.message);
    stop.abort();
  }, stop.signal, realClock);
  writeFileSync(file, `${JSON.stringify({ time: 't', level: 'info', category: 'vm', message: 'fresh' })}\n`);
  await following;
  t.deepEqual(seen, ['fresh']);
});
