import test from 'ava';
import fc from 'fast-check';
import { DELIMITER, ReplyDecoder } from '../../../plugins/qga/protocol/reply-decoder.js';

/**
 * The guest-agent byte stream as the host reads it (the QEMU guest agent's reply decoder),
 * fuzzed with a fixed seed. Longer local run: TWINBOX_FUZZ_RUNS=20000 TWINBOX_FUZZ_SEED=N.
 */
const seed = Number(process.env.TWINBOX_FUZZ_SEED ?? 20261206);
const runs = (ci: number) => Number(process.env.TWINBOX_FUZZ_RUNS ?? ci);

const reply = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 4 });
/** Boot noise on a serial line: any bytes but the newline and the 0xFF delimiter, which frame replies. */
const noise = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0x0a && byte !== DELIMITER && byte !== 0x7b)));

function decodeInChunks(stream: Buffer, cuts: number[]): unknown[] {
  const decoder = new ReplyDecoder();
  const out: unknown[] = [];
  let start = 0;
  for (const cut of [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b)) {
    out.push(...decoder.push(stream.subarray(start, cut)));
    start = cut;
  }
  out.push(...decoder.push(stream.subarray(start)));
  return out;
}

test('replies split at any bytes decode as when read at once, each reply once, whatever noise comes between', (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(noise, reply), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (parts, cuts) => {
      // Noise goes on its own line before each reply, as a console's boot messages do.
      const stream = Buffer.concat(parts.flatMap(([junk, value]) => [junk, Buffer.from('\n'), Buffer.from(`${JSON.stringify(value)}\n`)]));
      const whole = new ReplyDecoder().push(stream);
      const expected = parts.map(([, value]) => JSON.parse(JSON.stringify(value)) as unknown);
      const split = decodeInChunks(stream, cuts);
      t.deepEqual(whole, expected);
      t.deepEqual(split, expected);
      return true;
    }),
    { seed, numRuns: runs(300) },
  );
});

test('garbage, invalid UTF-8 and cut-off replies never throw, and what is decoded is always an object', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
      const stream = Buffer.from(bytes);
      const decoded = decodeInChunks(stream, cuts);
      for (const message of decoded) {
        if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
      }
      return true;
    }),
    { seed, numRuns: runs(500) },
  );
  t.pass();
});

test('a reply after a delimiter is decoded even when a cut-off reply came before it', (t) => {
  fc.assert(
    fc.property(reply, reply, fc.nat(), (lost, kept, at) => {
      const cutOff = Buffer.from(JSON.stringify(lost)).subarray(0, Math.max(1, at % JSON.stringify(lost).length));
      const stream = Buffer.concat([cutOff, Buffer.from([DELIMITER]), Buffer.from(`${JSON.stringify(kept)}\n`)]);
      t.deepEqual(new ReplyDecoder().push(stream), [JSON.parse(JSON.stringify(kept))]);
      return true;
    }),
    { seed, numRuns: runs(300) },
  );
});
