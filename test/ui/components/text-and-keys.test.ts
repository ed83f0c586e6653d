import test from 'ava';
import { wrapWords } from '../../../src/ui/components/confirm-dialog.js';
import { asciiOnly, cell, fitText } from '../../../src/ui/components/fit-text.js';
import { splitTyped } from '../../../src/ui/components/key-name.js';
import { symbolsFor } from '../../../src/ui/terminal/symbols.js';

const unicode = symbolsFor(true);
const ascii = symbolsFor(false);

test('text is cut to the width with the terminal\'s own ellipsis and never wraps', (t) => {
  t.is(fitText('abcdefghij', 6, unicode), 'abcde…');
  t.is(fitText('abcdefghij', 6, ascii), 'abc...');
  t.is(fitText('short', 10, ascii), 'short');
  t.is(fitText('two\nlines', 20, ascii), 'two lines');
  t.is(cell('7', 4, ascii, 'right'), '   7');
});

test('an ASCII terminal gets ASCII twins of known glyphs and ? for the rest', (t) => {
  t.is(asciiOnly('1–40 characters · done… “quoted” → next'), '1-40 characters - done... "quoted" -> next');
  t.is(asciiOnly('ÿ日本'), '???');
  t.is(fitText('a · b', 10, ascii), 'a - b');
});

test('a read holding several keys splits into text runs and named control keys', (t) => {
  t.deepEqual(splitTyped('ab\rc'), [{ text: 'ab' }, { name: 'return', text: '' }, { text: 'c' }]);
  t.deepEqual(splitTyped('x\u007f\u0003'), [{ text: 'x' }, { name: 'backspace', text: '' }, { name: 'ctrl-c', text: '' }]);
});

test('dialog questions wrap at word boundaries within the width', (t) => {
  t.deepEqual(wrapWords('Reset office? Its VM is deleted', 14), ['Reset office?', 'Its VM is', 'deleted']);
});
