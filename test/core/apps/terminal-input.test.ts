import { PassThrough } from 'node:stream';
import test from 'ava';
import { takeBytes, TerminalInput } from '../../../src/core/apps/host-terminal.js';

const read = (input: TerminalInput, ...chunks: Array<Buffer | string>) => {
  const out: Buffer[] = [];
  let escape = false;
  for (const chunk of chunks) {
    const step = input.read(chunk);
    out.push(step.bytes);
    if (step.escape) {
      escape = true;
      break;
    }
  }
  return { bytes: Buffer.concat(out).toString('latin1'), escape };
};

test('Ctrl-] typed as a key leaves; what came before it in the same read still goes to the app', (t) => {
  t.deepEqual(read(new TerminalInput(), Buffer.from('ls\u001D')), { bytes: 'ls', escape: true });
  t.deepEqual(read(new TerminalInput(), Buffer.from('\u001D')), { bytes: '', escape: true });
});

test('digits 29 are text, as bytes or as a string from a stream whose encoding Ink set', (t) => {
  t.deepEqual(read(new TerminalInput(), Buffer.from('echo 29\r')), { bytes: 'echo 29\r', escape: false });
  // String chunks once crashed the bridge (`chunk.subarray is not a function`) and "29" matched byte 29.
  t.deepEqual(read(new TerminalInput('utf8'), 'echo 29\r'), { bytes: 'echo 29\r', escape: false });
  t.deepEqual(read(new TerminalInput('utf8'), 'ab\u001D'), { bytes: 'ab', escape: true });
});

test('inside a bracketed paste 0x1d is pasted text, passed on with the markers; after the paste it is the key again', (t) => {
  const paste = '\u001B[200~a\u001Db 29\u001B[201~';
  t.deepEqual(read(new TerminalInput(), Buffer.from(paste)), { bytes: paste, escape: false });
  t.deepEqual(read(new TerminalInput(), Buffer.from(`${paste}x\u001D`)), { bytes: `${paste}x`, escape: true });
});

test('a paste split over reads, its markers split too, still passes 0x1d through', (t) => {
  const input = new TerminalInput();
  const whole = '\u001B[200~one\u001Dtwo\u001B[201~';
  const pieces = ['\u001B[2', '00~one', '\u001D', 'two\u001B[20', '1~'];
  t.deepEqual(read(input, ...pieces.map((piece) => Buffer.from(piece))), { bytes: whole, escape: false });
  t.deepEqual(read(input, Buffer.from('\u001D')), { bytes: '', escape: true }, 'the paste is over');
});

test('a lone Escape or an arrow key is passed on at once, not held', (t) => {
  t.deepEqual(read(new TerminalInput(), Buffer.from('\u001B')), { bytes: '\u001B', escape: false });
  t.deepEqual(read(new TerminalInput(), Buffer.from('\u001B[A')), { bytes: '\u001B[A', escape: false });
});

test('takeBytes makes a stream someone set an encoding on emit Buffers again, bytes that are not UTF-8 intact', async (t) => {
  const stream = new PassThrough();
  stream.setEncoding('utf8');
  takeBytes(stream);
  t.is(stream.readableEncoding, null);
  const got = new Promise<unknown>((resolve) => stream.once('data', resolve));
  stream.write(Buffer.from([0x61, 0xff, 0x1d]));
  const chunk = await got;
  t.true(Buffer.isBuffer(chunk));
  t.deepEqual([...(chunk as Buffer)], [0x61, 0xff, 0x1d]);
});
