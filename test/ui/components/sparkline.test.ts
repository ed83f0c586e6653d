import test from 'ava';
import fc from 'fast-check';
import { sparkline } from '../../../src/ui/components/sparkline.js';
import { symbolsFor } from '../../../src/ui/terminal/symbols.js';

const unicode = { levels: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] };
const ascii = { levels: ['_', '.', ',', '-', '~', '=', '*', '#'] };

test('values map onto eight levels on a fixed scale, newest on the right, unread ones blank', (t) => {
  t.is(sparkline([0, 50, 100], 3, unicode, 100), '▁▅█');
  t.is(sparkline([0, undefined, 100, 25], 4, unicode, 100), '▁ █▃');
  t.is(sparkline([150, -5], 2, unicode, 100), '█▁', 'clamped to the scale');
  t.is(sparkline([10, 20], 5, unicode, 100), '   ▂▂', 'a short history is right-aligned');
  t.is(sparkline([1, 2, 3, 4, 5, 6], 3, ascii, 6), '=*#', 'only the last values that fit');
  t.is(sparkline([], 4, unicode), '    ');
  t.is(sparkline([5], 0, unicode), '');
});

test('without a fixed scale the largest value is the top; all zero is the lowest level', (t) => {
  t.is(sparkline([100, 200, 400], 3, unicode), '▃▅█', 'a quarter, a half, the top');
  t.is(sparkline([0, 0], 2, unicode), '▁▁');
});

test('a sparkline is always exactly as wide as asked, in one-cell glyphs', (t) => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: undefined }), { maxLength: 80 }), fc.integer({ min: 0, max: 60 }), fc.boolean(), (values, width, plain) => {
      const line = sparkline(values, width, plain ? ascii : unicode, plain ? undefined : 100);
      return [...line].length === width;
    }),
    { seed: 20261207, numRuns: 300 },
  );
  t.pass();
});

test('the terminal symbols carry the same eight levels, in ASCII too', (t) => {
  t.deepEqual(symbolsFor(true).levels, unicode.levels);
  t.deepEqual(symbolsFor(false).levels, ascii.levels);
});
