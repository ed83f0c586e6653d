import test from 'ava';
import { createProgressPrinter } from '../../../src/core/package/progress-printer.js';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 70, write: (text: string) => writes.push(text) } };
}

test('off a terminal, progress is one plain line per ten percent', (t) => {
  const { writes, stream } = recorder(false);
  const printer = createProgressPrinter(stream);
  for (let done = 0; done <= 1000; done += 25) printer.update('packing disk.img', done, 1000);
  printer.finish();
  t.deepEqual(writes, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((step) => `packing disk.img: ${step}%\n`));
});

test('on a terminal, progress is a bar redrawn in place and ended with a newline', (t) => {
  let clock = 0;
  const { writes, stream } = recorder(true);
  const printer = createProgressPrinter(stream, () => clock);
  printer.update('unpacking disk.img', 512 * 1024, 1024 * 1024);
  printer.update('unpacking disk.img', 600 * 1024, 1024 * 1024);
  clock += 150;
  printer.update('unpacking disk.img', 1024 * 1024, 1024 * 1024);
  printer.finish();
  t.is(writes.length, 3, 'the update within 100 ms is not drawn');
  t.regex(writes[0]!, /^\r\x1b\[2Kunpacking disk\.img \[#+-+\]  50% 512\.0 KiB\/1\.0 MiB$/);
  t.regex(writes[1]!, /\[#+\] 100% 1\.0 MiB\/1\.0 MiB$/);
  t.is(writes[2], '\n');
});
