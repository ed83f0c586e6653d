import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, ftruncateSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import test from 'ava';
import { EventCodes } from '../../../src/core/events/codes.js';
import { jsonDepth, parseBoundedJson } from '../../../src/core/policy/bounded-json.js';
import { MAX_POLICY_BYTES } from '../../../src/core/policy/policy-file.js';
import { policyWorld, type PolicyWorld } from './policy-fixtures.js';

/** Each shape a policy path may wrongly have, made at `path` (absent beforehand). */
const fileShapes: Array<[string, (path: string) => void, RegExp]> = [
  ['a FIFO', (path) => execFileSync('mkfifo', [path]), /^not a regular file \(a FIFO\)$/],
  ['a symlink to /dev/zero', (path) => symlinkSync('/dev/zero', path), /^not a regular file \(a character device\)$/],
  ['a symlink to itself (a link loop)', (path) => symlinkSync(path, path), /^unreadable \(ELOOP\)$/],
  ['a folder', (path) => mkdirSync(path), /^unreadable \(EISDIR\)$/],
  [
    `larger than ${MAX_POLICY_BYTES} bytes (sparse)`,
    (path) => {
      const fd = openSync(path, 'w');
      ftruncateSync(fd, 2 * 1024 * 1024 * 1024);
      closeSync(fd);
    },
    new RegExp(`^larger than ${MAX_POLICY_BYTES} bytes$`),
  ],
  ['nested 5,000 arrays deep', (path) => writeFileSync(path, `{"vm.network": ${'['.repeat(5000)}${']'.repeat(5000)}}`), /^nested deeper than 64 levels$/],
];

function refusesEverything(t: import('ava').ExecutionContext, world: PolicyWorld, file: string, problem: RegExp): void {
  const started = Date.now();
  const { settings } = world.open();
  t.true(Date.now() - started < 3000, 'reading the policy does not block');
  for (const key of ['log.level', 'plugins.allowed', 'vm.network'] as const) {
    const error = t.throws(() => settings.get(key));
    t.like(error, { code: 'policy-malformed', exitCode: 4, details: { file } }, key);
    t.regex((error as unknown as { details: { problem: string } }).details.problem, problem);
  }
  const [report] = settings.policy!.files;
  t.like(report, { file, status: 'refused' });
  t.like(world.events().find((event) => event.code === EventCodes.policyMalformed), { fields: { file, fallback: 'refused' } });
}

for (const [what, make, problem] of fileShapes) {
  test(`policy.json that is ${what} is refused: every key it may govern fails closed`, (t) => {
    const world = policyWorld(t);
    const file = world.file('policy.json');
    make(file);
    refusesEverything(t, world, file, problem);
  });

  test(`a policy.d file that is ${what} keeps its last good version in force`, (t) => {
    const world = policyWorld(t);
    const file = world.write('policy.d/10-org.json', { 'vm.network': 'none' });
    t.is(world.open().settings.get('vm.network'), 'none');
    rmSync(file);
    make(file);
    const { settings } = world.open();
    t.is(settings.get('vm.network'), 'none');
    t.like(settings.policy!.files[0], { file, status: 'last-good' });
    t.regex(settings.policy!.files[0]!.problem!, problem);
  });
}

test('a policy.d that is a regular file fails closed, as an unlistable one does', (t) => {
  const world = policyWorld(t);
  const dropIns = world.write('policy.d', '{"vm.network": "none"}');
  refusesEverything(t, world, dropIns, /^is not a folder$/);
});

test('a policy folder that is a regular file fails closed', (t) => {
  const world = policyWorld(t);
  rmSync(world.policyDir, { recursive: true });
  writeFileSync(world.policyDir, '{}');
  refusesEverything(t, world, world.policyDir, /^is not a folder$/);
});

test('a policy folder that became a regular file keeps the last good versions of its files, policy.json first', (t) => {
  const world = policyWorld(t);
  world.write('policy.json', { 'vm.network': 'nat', 'log.level': 'warn' });
  world.write('policy.d/10-org.json', { 'vm.network': 'none' });
  t.is(world.open().settings.get('vm.network'), 'none');
  rmSync(world.policyDir, { recursive: true });
  writeFileSync(world.policyDir, '');
  const { settings } = world.open();
  t.is(settings.get('vm.network'), 'none', 'policy.d still overrides policy.json');
  t.is(settings.get('log.level'), 'warn');
});

test('a policy folder that does not exist is no policy', (t) => {
  const world = policyWorld(t);
  rmSync(world.policyDir, { recursive: true });
  t.is(world.open().settings.get('log.level'), 'info');
});

test('jsonDepth counts nesting outside strings without recursion', (t) => {
  t.is(jsonDepth('{"a": "[[[[{{{", "b": [1, [2]]}'), 3);
  t.is(jsonDepth('"\\"[[["'), 0);
  t.is(jsonDepth('[]'), 1);
  t.is(jsonDepth('['.repeat(1_000_000), 64), 65, 'stops counting past the limit');
  t.throws(() => parseBoundedJson('['.repeat(5000) + ']'.repeat(5000)), { message: 'nested deeper than 64 levels' });
  t.throws(() => parseBoundedJson('"abc"', { maxLength: 2 }), { message: 'larger than 2 bytes' });
  t.deepEqual(parseBoundedJson('[[1]]', { maxDepth: 2 }), [[1]]);
  t.throws(() => parseBoundedJson('[[1]]', { maxDepth: 1 }));
});
