import test from 'ava';
import assert from 'node:assert';
import fc from 'fast-check';

// The node:assert the bundles give conf (scripts/conf-in-bundle.js), generated into build/ by the build.
const generated = new URL('../../../generated/conf-assert.js', import.meta.url).href;
const { default: confAssert } = (await import(generated)) as { default: { deepEqual(actual: unknown, expected: unknown): void } };

const seed = Number(process.env.TWINBOX_FUZZ_SEED ?? 20261207);
const runs = Number(process.env.TWINBOX_FUZZ_RUNS ?? 300);

function throws(deepEqual: (actual: unknown, expected: unknown) => void, actual: unknown, expected: unknown): boolean {
  try {
    deepEqual(actual, expected);
    return false;
  } catch {
    return true;
  }
}

const store = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });

test("the bundle's deepEqual answers as node:assert's for what conf compares: a file's store and the same with the defaults added", (t) => {
  let differed = 0;
  fc.assert(
    fc.property(store, store, fc.boolean(), (fileStore, defaults, overlap) => {
      // Defaults that add keys the file lacks, or only keys the file has already.
      const given = overlap ? Object.fromEntries(Object.keys(fileStore).map((key) => [key, defaults[key] ?? 0])) : defaults;
      const withDefaults = Object.assign(Object.create(null) as object, given, fileStore);
      const node = throws(assert.deepEqual, fileStore, withDefaults);
      if (node) differed += 1;
      return throws(confAssert.deepEqual, fileStore, withDefaults) === node;
    }),
    { seed, numRuns: runs * 4 },
  );
  // Both answers were met: stores the defaults changed and stores they left alone.
  t.true(differed > 0 && differed < runs * 4, `${differed} of ${runs * 4}`);
});

test("the bundle's deepEqual tells apart JSON values that differ anywhere, as node:assert's does", (t) => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
      const copy = JSON.parse(JSON.stringify(value)) as unknown;
      return !throws(confAssert.deepEqual, value, copy) && !throws(assert.deepEqual, value, copy);
    }),
    { seed, numRuns: runs },
  );
  t.throws(() => confAssert.deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }));
  t.throws(() => confAssert.deepEqual({ a: 1 }, { a: 1, b: undefined }));
  t.throws(() => confAssert.deepEqual([1, 2], { 0: 1, 1: 2 }));
  t.notThrows(() => confAssert.deepEqual({ a: null, b: [] }, { b: [], a: null }));
});
