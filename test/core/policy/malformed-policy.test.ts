import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { EventCodes } from '../../../src/core/events/codes.js';
import { LAST_GOOD_POLICY_FILE } from '../../../src/core/settings/open-settings.js';
import { policyWorld } from './policy-fixtures.js';

const malformedEvents = (world: ReturnType<typeof policyWorld>) => world.events().filter((event) => event.code === EventCodes.policyMalformed);

const brokenContents: Array<[string, string, RegExp]> = [
  ['is not JSON', '{ "plugins.allowed": ["qemu"', /not JSON/],
  ['holds a value of the wrong type', JSON.stringify({ 'plugins.allowed': 'qemu' }), /plugins.allowed expects a JSON array of plugin names, not "qemu"/],
  ['is not an object', JSON.stringify(['plugins.allowed']), /not a JSON object of settings \(found an array\)/],
];

for (const [what, content, problem] of brokenContents) {
  test(`a policy file that ${what} is named in an error event and its last good version stays in force`, (t) => {
    const world = policyWorld(t);
    const file = world.write('policy.d/10-org.json', { 'plugins.allowed': ['qemu'], 'vm.memoryMiB': 2048 });
    t.deepEqual(world.open().settings.get('plugins.allowed'), ['qemu']);

    world.write('policy.d/10-org.json', content);
    const { settings } = world.open();
    t.deepEqual(settings.get('plugins.allowed'), ['qemu']);
    t.is(settings.get('vm.memoryMiB'), 2048);
    const described = settings.describe('plugins.allowed');
    t.like(described, { source: `policy:${file}`, locked: true });
    t.regex(described.lastGood!.problem, problem);
    t.like(settings.policy!.files[0], { file, status: 'last-good' });

    const [event] = malformedEvents(world);
    t.like(event, { level: 'error', category: 'policy', fields: { file, fallback: 'last-good' } });
    t.regex(event!.message, new RegExp(`^policy file ${file} is malformed: .*its last good version .* stays in force$`));
    t.like(settings.problems()[0], { file, severity: 'error' });
  });
}

test('a malformed file with no last good version fails closed for the keys it sets', (t) => {
  const world = policyWorld(t);
  const file = world.write('policy.d/10-org.json', { 'security.requireSignature': 'yes', 'vm.memoryMiB': 2048 });
  const { settings } = world.open();
  for (const key of ['security.requireSignature', 'vm.memoryMiB'] as const) {
    const error = t.throws(() => settings.get(key));
    t.like(error, { code: 'policy-malformed', exitCode: 4 }, key);
    t.true(error!.message.includes(file), key);
    t.like(t.throws(() => settings.unset(key)), { exitCode: 4 });
  }
  t.is(settings.get('log.level'), 'info');
  t.like(malformedEvents(world)[0], { fields: { file, fallback: 'refused' } });
});

test('a file that is not JSON and has no last good version fails closed for every key no later file sets', (t) => {
  const world = policyWorld(t);
  world.write('policy.json', { 'log.level': 'warn' });
  const broken = world.write('policy.d/10-org.json', 'security.requireSignature = true');
  const later = world.write('policy.d/20-site.json', { 'vm.network': 'none' });
  const { settings } = world.open();
  t.like(t.throws(() => settings.get('log.level')), { exitCode: 4, details: { file: broken } });
  t.like(t.throws(() => settings.get('security.requireSignature')), { exitCode: 4 });
  t.is(settings.get('vm.network'), 'none');
  t.like(settings.describe('vm.network'), { source: `policy:${later}` });
  t.like(settings.describe('plugins.allowed'), { value: null, source: `policy:${broken}`, locked: true });
});

test('fixing a broken file applies it, and breaking it again is reported again', (t) => {
  const world = policyWorld(t);
  world.write('policy.json', '{');
  world.open();
  world.open();
  t.is(malformedEvents(world).length, 1, 'the same broken content is reported once');

  world.write('policy.json', { 'setup.maxRetries': 7 });
  t.is(world.open().settings.get('setup.maxRetries'), 7);
  const applied = world.events().filter((event) => event.code === EventCodes.policyApplied);
  t.like(applied.at(-1), { level: 'info', fields: { file: world.file('policy.json'), keys: ['setup.maxRetries'] } });

  world.write('policy.json', '[');
  t.is(world.open().settings.get('setup.maxRetries'), 7);
  t.is(malformedEvents(world).length, 2);
});

test('unknown keys in a policy file are reported as a warning and the rest of the file applies', (t) => {
  const world = policyWorld(t);
  const file = world.write('policy.json', { $schema: 'https://example/schema.json', 'setup.maxRetries': 2, 'setup.frobnicate': true });
  const { settings } = world.open();
  t.is(settings.get('setup.maxRetries'), 2);
  t.deepEqual(settings.policy!.files[0], { file, status: 'applied', sha256: settings.policy!.files[0]!.sha256, unknownKeys: ['setup.frobnicate'] });
  const warning = world.events().find((event) => event.level === 'warn' && event.category === 'policy');
  t.like(warning, { fields: { file, unknownKeys: ['setup.frobnicate'] } });
  t.like(settings.problems(), [{ file, severity: 'warning', message: 'unknown settings, ignored: setup.frobnicate' }]);
});

test('the last good cache keeps each file with its content hash, and forgets deleted files', (t) => {
  const world = policyWorld(t);
  const kept = world.write('policy.json', { 'log.level': 'warn' });
  const gone = world.write('policy.d/10-org.json', { 'vm.network': 'none' });
  world.open();
  const cacheFile = join(world.paths.dataDir, LAST_GOOD_POLICY_FILE);
  const cache = () => JSON.parse(readFileSync(cacheFile, 'utf8')) as { dirs: Record<string, { files: Record<string, { sha256: string; values: unknown }> }> };
  t.deepEqual(Object.keys(cache().dirs[world.policyDir]!.files), [kept, gone]);
  t.regex(cache().dirs[world.policyDir]!.files[kept]!.sha256, /^[0-9a-f]{64}$/);

  world.remove('policy.d/10-org.json');
  world.open();
  t.deepEqual(Object.keys(cache().dirs[world.policyDir]!.files), [kept]);
  world.write('policy.d/10-org.json', '{');
  t.like(t.throws(() => world.open().settings.get('vm.network')), { exitCode: 4 });
});

test('a tampered cache entry is no fallback: the broken file fails closed', (t) => {
  const world = policyWorld(t);
  const file = world.write('policy.json', { 'vm.memoryMiB': 2048 });
  world.open();
  const cacheFile = join(world.paths.dataDir, LAST_GOOD_POLICY_FILE);
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
  cache.dirs[world.policyDir].files[file].values['vm.memoryMiB'] = 'all of it';
  writeFileSync(cacheFile, JSON.stringify(cache));
  world.write('policy.json', 'nope');
  t.like(t.throws(() => world.open().settings.get('vm.memoryMiB')), { exitCode: 4 });
});

/** A symlink loop: listing it fails (ELOOP) even for root, unlike a folder without permissions. */
function makeUnlistable(world: ReturnType<typeof policyWorld>): string {
  const dropIns = world.file('policy.d');
  world.remove('policy.d');
  symlinkSync(dropIns, dropIns);
  return dropIns;
}

test('a policy.d folder that cannot be listed keeps the last good versions of its files', (t) => {
  const world = policyWorld(t);
  world.write('policy.d/10-org.json', { 'plugins.allowed': ['qga'] });
  world.open();
  const dropIns = makeUnlistable(world);
  const { settings } = world.open();
  t.deepEqual(settings.get('plugins.allowed'), ['qga']);
  t.like(settings.policy!.files[0], { status: 'last-good', problem: 'its folder cannot be listed (ELOOP)' });
  t.like(malformedEvents(world)[0], { fields: { file: dropIns, fallback: 'last-good' } });
});

test('a policy.d folder that cannot be listed, with nothing known about it, fails closed', (t) => {
  const world = policyWorld(t);
  const dropIns = makeUnlistable(world);
  t.like(t.throws(() => world.open().settings.get('plugins.allowed')), { exitCode: 4, details: { file: dropIns } });
});

test('a policy file that exists but cannot be read fails closed', (t) => {
  const world = policyWorld(t);
  world.write('policy.json/placeholder', 'a folder where a file should be');
  t.like(t.throws(() => world.open().settings.get('log.level')), { exitCode: 4, details: { file: world.file('policy.json'), problem: 'unreadable (EISDIR)' } });
});
