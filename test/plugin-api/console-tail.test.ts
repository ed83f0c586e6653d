import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { readConsoleTail } from '../../src/plugin-api/console-tail.js';
import { tempDir } from '../helpers/temp.js';

test('the console tail is the last printed lines, without terminal escapes or carriage returns', async (t) => {
  const log = join(tempDir(t), 'console.log');
  await writeFile(log, 'SeaBIOS\r\n\u001b[2J\u001b[1;1Hbooting linux\r\n\r\n\u0007init: \u001b[31mqemu-ga failed\u001b[0m\r\n');
  t.is(await readConsoleTail(log), 'SeaBIOS\nbooting linux\ninit: qemu-ga failed');
  t.is(await readConsoleTail(log, 2), 'booting linux\ninit: qemu-ga failed');
});

test('a long console log is read from its end only, and the line the byte limit cuts is dropped', async (t) => {
  const log = join(tempDir(t), 'console.log');
  const lines = Array.from({ length: 1000 }, (_, index) => `line ${index} ${'x'.repeat(40)}`);
  await writeFile(log, `${lines.join('\n')}\n`);
  const tail = await readConsoleTail(log, 1000, 190);
  t.deepEqual(tail?.split('\n'), lines.slice(-3), 'three whole lines fit in 190 bytes; the fourth from the end is cut and dropped');
});

test('no console log, or one with nothing printable, gives no tail', async (t) => {
  const dir = tempDir(t);
  t.is(await readConsoleTail(join(dir, 'missing.log')), undefined);
  await writeFile(join(dir, 'blank.log'), '\r\n\u001b[0m\n  \n');
  t.is(await readConsoleTail(join(dir, 'blank.log')), undefined);
});
