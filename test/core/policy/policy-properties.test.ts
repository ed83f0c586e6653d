import test from 'ava';
import fc from 'fast-check';
import { jsonDepth, MAX_JSON_DEPTH, parseBoundedJson } from '../../../src/core/policy/bounded-json.js';
import { SETTING_KEY_NAMES } from '../../../src/core/settings/keys.js';
import { isTwinboxError } from '../../../src/plugin-api/index.js';
import { policyWorld } from './policy-fixtures.js';

/**
 * Property tests with a fixed seed, so CI runs the same cases every time. For a longer local
 * run: TWINBOX_FUZZ_RUNS=20000 TWINBOX_FUZZ_SEED=<any> npx ava build/test/core/policy/policy-properties.test.js
 */
const seed = Number(process.env.TWINBOX_FUZZ_SEED ?? 20261206);
const runs = (ci: number) => Number(process.env.TWINBOX_FUZZ_RUNS ?? ci);

/** The depth of a parsed value, walked with an explicit stack (no recursion to overflow). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const nested = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.jsonValue({ maxDepth: 2 }), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 })),
})).value;

test('jsonDepth agrees with the depth of the parsed value for any JSON, strings with brackets and escapes included', (t) => {
  fc.assert(
    fc.property(nested, fc.boolean(), (value, pretty) => {
      const text = JSON.stringify(value, null, pretty ? 2 : undefined);
      return jsonDepth(text, 10_000) === depthOf(JSON.parse(text));
    }),
    { seed, numRuns: runs(500) },
  );
  t.pass();
});

test('parseBoundedJson never overflows the stack: any depth is either parsed or refused by name', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
      const close = open === '[' ? ']' : '}';
      const text = open.repeat(depth) + (open === '[' ? '' : '1') + close.repeat(depth);
      try {
        parseBoundedJson(text);
        return depth <= MAX_JSON_DEPTH;
      } catch (error) {
        return depth > MAX_JSON_DEPTH && (error as Error).message === `nested deeper than ${MAX_JSON_DEPTH} levels`;
      }
    }),
    { seed, numRuns: runs(200) },
  );
  t.pass();
});

/** Content of a policy file: random bytes, random JSON, or an object of real keys with random values. */
const policyContent = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.dictionary(fc.constantFrom(...SETTING_KEY_NAMES, '$comment', 'not.a.key'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }).map((value) => JSON.stringify(value)),
  fc.integer({ min: 65, max: 3000 }).map((depth) => `{"vm.network": ${'['.repeat(depth)}${']'.repeat(depth)}}`),
);

/** Whether a policy file's content can even be read as an object of settings (else it may govern every key). */
function readableObject(content: string): boolean {
  try {
    const value: unknown = JSON.parse(content);
    return jsonDepth(content) <= MAX_JSON_DEPTH && typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

test('the policy loader never fails open and never crashes: a file that cannot be read as settings refuses every key no later file sets', (t) => {
  let refused = 0;
  fc.assert(
    fc.property(policyContent, policyContent, (main, dropIn) => {
      const world = policyWorld(t);
      const later = world.file('policy.d/10-org.json');
      world.write('policy.json', main);
      world.write('policy.d/10-org.json', dropIn);
      const { settings } = world.open();
      for (const key of SETTING_KEY_NAMES) {
        let source: string | undefined;
        try {
          settings.get(key);
          source = settings.describe(key).source;
        } catch (error) {
          if (!isTwinboxError(error) || error.exitCode !== 4 || error.code !== 'policy-malformed') return false;
          refused++;
          continue;
        }
        // Read without error: neither file may be one that governs every key, unless the later one set it.
        if (!readableObject(dropIn)) return false;
        if (!readableObject(main) && source !== `policy:${later}`) return false;
      }
      return true;
    }),
    { seed, numRuns: runs(150) },
  );
  t.true(refused > 0, 'some generated files were refused');
});
