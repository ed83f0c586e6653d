import test from 'ava';
import { ConvertProgressParser, parseConvertProgress } from '../../../../plugins/qemu/driver/convert-progress.js';

test('progress lines are parsed', (t) => {
  t.is(parseConvertProgress('    (12.34/100%)'), 12.34);
  t.is(parseConvertProgress('    (100.00/100%)'), 100);
  t.is(parseConvertProgress('(0.00/100%)'), 0);
  t.is(parseConvertProgress('qemu-img: error'), undefined);
});

test('chunks split anywhere still give each percentage once, in order', (t) => {
  const seen: number[] = [];
  const parser = new ConvertProgressParser((percent) => seen.push(percent));
  const output = '    (0.00/100%)\r    (11.43/100%)\r    (11.43/100%)\r    (57.14/100%)\r    (100.00/100%)\r    (100.00/100%)\r\n';
  for (let index = 0; index < output.length; index += 5) parser.push(output.slice(index, index + 5));
  parser.end();
  t.deepEqual(seen, [0, 11.43, 57.14, 100]);
});

test('a final line without a carriage return is read at the end', (t) => {
  const seen: number[] = [];
  const parser = new ConvertProgressParser((percent) => seen.push(percent));
  parser.push('    (42.00/100%)');
  t.deepEqual(seen, []);
  parser.end();
  t.deepEqual(seen, [42]);
});
