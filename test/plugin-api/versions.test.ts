import test from 'ava';
import { apiIncompatibility } from '../../src/plugin-api/manifest.js';
import { compareVersions, parseSemver, versionSatisfies } from '../../src/plugin-api/versions.js';

test('versions compare by semantic-version precedence', (t) => {
  t.true(compareVersions('1.10.0', '1.9.9') > 0);
  t.true(compareVersions('1.0.0-beta.2', '1.0.0-beta.11') < 0);
  t.true(compareVersions('1.0.0-rc.1', '1.0.0') < 0);
  t.true(compareVersions('1.0.0-alpha', '1.0.0-alpha.1') < 0);
  t.true(compareVersions('1.0.0-1', '1.0.0-alpha') < 0);
  t.is(compareVersions('2.0.0+build.5', '2.0.0+build.6'), 0);
});

test('a version is compared loosely (leading zeros count for nothing); what is no version at all is an error', (t) => {
  t.is(compareVersions('01.2.3', '1.2.3'), 0);
  t.true(compareVersions('1.0.0-02', '1.0.0-10') < 0);
  t.throws(() => compareVersions('1.0.0-a..b', '1.0.0'), { instanceOf: TypeError });
  t.throws(() => compareVersions('latest', '1.0.0'), { instanceOf: TypeError });
});

test('ranges are npm\'s; what is no version is in none', (t) => {
  t.true(versionSatisfies('6.1.38', '>=6.1.0'));
  t.false(versionSatisfies('6.0.24', '>=6.1.0'));
  t.true(versionSatisfies('7.2.6', '>=7.2.6'));
  t.false(versionSatisfies('7.2.5', '>=7.2.6'));
  t.true(versionSatisfies('1.4.0', '^1.1.0'));
  t.false(versionSatisfies('7.1', '>=6.1.0'));
});

test('parseSemver reads a version strictly unless told; undefined for what is none', (t) => {
  t.like(parseSemver('2.0.0-rc.1+build.5'), { major: 2, minor: 0, patch: 0, prerelease: ['rc', 1] });
  for (const none of ['01.2.3', 'v1.2.3', ' 1.2.3', '1.2.3\n']) t.is(parseSemver(none), undefined, none);
  t.like(parseSemver('v1.2.3', { loose: true }), { major: 1, minor: 2, patch: 3 });
  t.like(parseSemver('01.2.3', { loose: true }), { major: 1, minor: 2, patch: 3 });
  for (const none of ['latest', '1.0', '1.0.0-a..b', '']) t.is(parseSemver(none, { loose: true }), undefined, none);
});

test('a plugin runs when its API version is in the caret range of the host\'s', (t) => {
  for (const [plugin, host] of [['1.0.0', '1.1.0'], ['1.1.0', '1.1.0'], ['1.1.0-beta.1', '1.1.0'], ['1.0.0+build.7', '1.1.0'], ['1.0.5', '1.1.0']]) {
    t.is(apiIncompatibility(plugin!, host), undefined, `${plugin} on ${host}`);
  }
  t.regex(apiIncompatibility('2.0.0', '1.1.0')!, /major versions differ/);
  t.regex(apiIncompatibility('0.9.0', '1.1.0')!, /major versions differ/);
  t.regex(apiIncompatibility('1.99.0', '1.1.0')!, /newer than 1\.1\.0 offered by this twinbox \(upgrade twinbox\)/);
  t.regex(apiIncompatibility('1.1.1', '1.1.0')!, /upgrade twinbox/);
  t.regex(apiIncompatibility('1.2.0-beta', '1.1.0')!, /upgrade twinbox/);
  for (const none of ['latest', '1.0', '1', '1.0.0.0', '01.0.0', '1.0.0-a..b', 'v1.0.0', ' 1.0.0']) t.is(apiIncompatibility(none, '1.1.0'), `apiVersion "${none}" is not a semver version like "1.0.0"`);
  t.throws(() => apiIncompatibility('1.0.0', 'one'), { message: 'host API version one is not semver' });
});
