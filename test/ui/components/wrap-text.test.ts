import test from 'ava';
import { wrapText } from '../../../src/ui/components/fit-text.js';

const unicode = { ascii: false, ellipsis: '…' };

test('a text that fits stays one line', (t) => {
  t.deepEqual(wrapText('state: stopped', 20, unicode), ['state: stopped']);
});

test('a long text wraps at spaces, continuation lines indented, nothing cut', (t) => {
  const lines = wrapText('state: not-created — not set up yet: `twinbox start lab` sets it up', 30, unicode, 2);
  t.deepEqual(lines, ['state: not-created — not set', '  up yet: `twinbox start lab`', '  sets it up']);
  t.true(lines.every((line) => line.length <= 30));
  t.is(lines.join(' ').replace(/ +/g, ' '), 'state: not-created — not set up yet: `twinbox start lab` sets it up');
});

test('leading blanks of the first line are kept; a word longer than the line is split', (t) => {
  t.deepEqual(wrapText('    fix: abcdefghijklmnopqrstuvwxyz', 20, unicode, 9), ['    fix:', '         abcdefghijk', '         lmnopqrstuv', '         wxyz']);
});

test('blanks padding a column inside the line are kept', (t) => {
  t.deepEqual(wrapText('▲ kvm    /dev/kvm is present but slow', 24, unicode, 9), ['▲ kvm    /dev/kvm is', '         present but', '         slow']);
});
