import test from 'ava';
import fc from 'fast-check';
import { checkSetting } from '../../../src/core/settings/validate-setting.js';

const seed = Number(process.env.TWINBOX_FUZZ_SEED ?? 20261206);
const runs = Number(process.env.TWINBOX_FUZZ_RUNS ?? 500);

/** How refused values were shown before they were written only as far as shown. */
function stringified(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

test('a refused value is shown as JSON.stringify writes it, cut to 80 characters', (t) => {
  const notAWholeNumber = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant(undefined), fc.array(fc.oneof(fc.constant(undefined), fc.integer())), fc.date({ noInvalidDate: true }), fc.dictionary(fc.string(), fc.oneof(fc.constant(undefined), fc.string(), fc.jsonValue({ maxDepth: 2 }))));
  fc.assert(
    fc.property(notAWholeNumber, (value) => {
      const checked = checkSetting('setup.maxRetries', value);
      return checked.ok || checked.problem === `setup.maxRetries expects a whole number from 0 to 10, not ${stringified(value)}`;
    }),
    { seed, numRuns: runs },
  );
  t.pass();
});

test('a value nested far deeper than the stack allows is refused with its first characters shown', (t) => {
  let deep: unknown = 'bottom';
  for (let depth = 0; depth < 200_000; depth++) deep = depth % 2 ? [deep] : { level: deep };
  const checked = checkSetting('plugins.allowed', deep);
  t.false(checked.ok);
  t.is(checked.ok ? '' : checked.problem, `plugins.allowed expects a JSON array of plugin names, not ${'[{"level":'.repeat(7)}[{"leve... (item 0: not a string)`);
});
