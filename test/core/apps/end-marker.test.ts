import test from 'ava';
import { EndMarkerFilter, newEndMarker } from '../../../src/core/apps/guest-launch.js';

const marker = newEndMarker(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));

function feed(chunks: Buffer[]): { out: string; ended: boolean } {
  const parts: Buffer[] = [];
  const filter = new EndMarkerFilter(marker, (bytes) => parts.push(Buffer.from(bytes)));
  let ended = false;
  void filter.ended.then(() => (ended = true));
  for (const chunk of chunks) filter.write(chunk);
  return { out: Buffer.concat(parts).toString('utf8'), get ended() { return ended; } };
}

test('the end marker is a DCS string with the random bytes in hex', (t) => {
  t.is(marker, '\u001bPtwinbox-end:00112233445566778899aabbccddeeff\u001b\\');
});

test('output passes through whole and the marker is dropped, wherever the reads split it', async (t) => {
  const text = Buffer.from(`héllo \u001bP not the marker \u001bPtwinbox-end:0011 either\n${marker}`, 'utf8');
  for (let first = 0; first <= text.length; first++) {
    for (const second of [first, Math.min(text.length, first + 1), Math.min(text.length, first + 7)]) {
      const parts: Buffer[] = [];
      const filter = new EndMarkerFilter(marker, (bytes) => parts.push(Buffer.from(bytes)));
      let ended = false;
      void filter.ended.then(() => (ended = true));
      for (const chunk of [text.subarray(0, first), text.subarray(first, second), text.subarray(second)]) filter.write(Buffer.from(chunk));
      await Promise.resolve();
      t.true(ended, `split at ${first}/${second}`);
      t.is(Buffer.concat(parts).toString('utf8'), 'héllo \u001bP not the marker \u001bPtwinbox-end:0011 either\n', `split at ${first}/${second}`);
    }
  }
});

test('without the marker nothing is lost: what was held back comes out at the flush', async (t) => {
  const parts: Buffer[] = [];
  const filter = new EndMarkerFilter(marker, (bytes) => parts.push(Buffer.from(bytes)));
  filter.write(Buffer.from('tail \u001bPtwinbox-e'));
  t.is(Buffer.concat(parts).toString(), 'tail ', 'a possible start of the marker waits');
  filter.flush();
  t.is(Buffer.concat(parts).toString(), 'tail \u001bPtwinbox-e');
  const late = feed([Buffer.from(`a${marker}b`)]);
  await Promise.resolve();
  t.is(late.out, 'ab', 'bytes after the marker still pass');
  t.true(late.ended);
});
