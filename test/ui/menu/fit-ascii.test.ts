import test from 'ava';
import { fitAscii } from '../../../src/ui/menu/use-fit.js';

test('for an ASCII terminal non-ASCII characters become ? and a long line is cut with ... keeping each run\'s style', (t) => {
  t.deepEqual(fitAscii([{ text: 'Café', bold: true }], 10), [{ text: 'Caf?', bold: true }]);
  const line = [{ text: 'Text ', bold: true }, { text: 'Editor', underline: true }];
  t.deepEqual(fitAscii(line, 11), line);
  t.deepEqual(fitAscii(line, 10), [{ text: 'Text ', bold: true }, { text: 'Ed', underline: true }, { text: '...' }]);
  t.deepEqual(fitAscii(line, 8), [{ text: 'Text ', bold: true }, { text: '...' }]);
  t.deepEqual(fitAscii(line, 2), [{ text: '..' }]);
});
