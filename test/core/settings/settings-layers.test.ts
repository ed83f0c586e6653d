import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { packageLayerOf } from '../../../src/core/settings/package-layer.js';
import { SETTING_KEY_NAMES, SETTING_KEYS } from '../../../src/core/settings/keys.js';
import { Settings, SETTINGS_DEFAULTS } from '../../../src/core/settings/settings.js';
import { checkSetting } from '../../../src/core/settings/validate-setting.js';
import { tempDir } from '../../helpers/temp.js';
import { policyWorld } from '../policy/policy-fixtures.js';

test('each layer overrides the ones below it and the value names its source', (t) => {
  const world = policyWorld(t);
  const memory = () => world.open().settings.forPackage(packageLayerOf('office', { vm: { memoryMiB: 2048 } })).describe('vm.memoryMiB');

  t.like(world.open().settings.describe('vm.memoryMiB'), { value: 1024, source: 'default', locked: false });
  t.like(memory(), { value: 2048, source: 'package', locked: false });

  world.open().settings.set('vm.memoryMiB', 4096);
  t.like(memory(), { value: 4096, source: 'user', locked: false });
  t.deepEqual(memory().overridden, [{ source: 'package', value: 2048 }]);

  const policyFile = world.write('policy.json', { 'vm.memoryMiB': 512 });
  const enforced = memory();
  t.like(enforced, { value: 512, source: `policy:${policyFile}`, locked: true });
  t.deepEqual(enforced.overridden, [
    { source: 'user', value: 4096 },
    { source: 'package', value: 2048 },
  ]);
  t.is(world.open().settings.get('vm.memoryMiB'), 512);
});

test('policy.d files apply in name order after policy.json, later files winning', (t) => {
  const world = policyWorld(t);
  world.write('policy.json', { 'log.level': 'error', 'vm.network': 'none', 'setup.maxRetries': 1 });
  world.write('policy.d/20-site.json', { 'log.level': 'debug', 'vm.network': 'bridged' });
  const last = world.write('policy.d/90-local.json', { 'log.level': 'warn' });
  world.write('policy.d/.editor-backup.json', { 'log.level': 'info' });
  world.write('policy.d/notes.txt', 'not a policy file');
  const { settings } = world.open();
  t.like(settings.describe('log.level'), { value: 'warn', source: `policy:${last}` });
  t.like(settings.describe('vm.network'), { value: 'bridged', source: `policy:${world.file('policy.d/20-site.json')}` });
  t.like(settings.describe('setup.maxRetries'), { value: 1, source: `policy:${world.file('policy.json')}` });
  t.deepEqual(
    settings.policy?.files.map((report) => report.file),
    [world.file('policy.json'), world.file('policy.d/20-site.json'), last],
  );
});

test('a key set by policy is locked: set and unset fail with exit 4 naming the file', (t) => {
  const world = policyWorld(t);
  const file = world.write('policy.d/10-org.json', { 'plugins.allowed': ['qemu'] });
  const { settings } = world.open();
  for (const attempt of [() => settings.set('plugins.allowed', []), () => settings.unset('plugins.allowed')]) {
    const error = t.throws(attempt);
    t.like(error, { code: 'policy-locked', exitCode: 4, message: `plugins.allowed is enforced by ${file}` });
  }
  t.deepEqual(settings.get('plugins.allowed'), ['qemu']);
});

test('unset hands a key back to the layers below', (t) => {
  const world = policyWorld(t);
  const { settings } = world.open();
  settings.set('workspace.closeAction', 'shutdown');
  const packaged = settings.forPackage(packageLayerOf('office', { closeAction: 'power-off' }));
  t.like(packaged.describe('workspace.closeAction'), { value: 'shutdown', source: 'user' });
  packaged.unset('workspace.closeAction');
  t.like(packaged.describe('workspace.closeAction'), { value: 'power-off', source: 'package' });
  t.like(settings.describe('workspace.closeAction'), { value: 'suspend', source: 'default' });
});

test('set refuses a value of the wrong type with exit 2 naming the expected type', (t) => {
  const settings = new Settings(tempDir(t));
  const wrong = settings as unknown as { set(key: string, value: unknown): void };
  t.like(t.throws(() => wrong.set('setup.maxRetries', 11)), { code: 'setting-invalid', exitCode: 2, message: 'setup.maxRetries expects a whole number from 0 to 10, not 11' });
  t.like(t.throws(() => wrong.set('log.level', 'loud')), { message: 'log.level expects one of error, warn, info, debug, not "loud"' });
  t.regex(t.throws(() => wrong.set('redirection.urls', ['ftp://x']))!.message, /redirection.urls expects a JSON array of http\(s\) URL rules.*\(item 0: must start with http/);
  t.is(settings.get('setup.maxRetries'), 3);
});

test('a bad value in settings.json is refused, never replaced by a weaker default', (t) => {
  const configDir = tempDir(t);
  writeFileSync(join(configDir, 'settings.json'), JSON.stringify({ 'security.requireSignature': 'yes', 'no.such.key': 1 }));
  const settings = new Settings(configDir);
  const error = t.throws(() => settings.get('security.requireSignature'));
  t.like(error, { code: 'setting-invalid', exitCode: 2 });
  t.true(error!.message.startsWith(`${settings.path}: security.requireSignature expects true or false`));
  t.like(settings.describe('security.requireSignature'), { value: null, source: 'user' });
  const problems = settings.problems();
  t.like(problems[0], { severity: 'error', file: settings.path });
  t.like(problems[1], { severity: 'warning', message: 'unknown settings, ignored: no.such.key' });
});

test('the existing API still works: new Settings(dir), get, set, path and the defaults table', (t) => {
  const configDir = tempDir(t);
  const settings = new Settings(configDir);
  t.is(settings.path, join(configDir, 'settings.json'));
  t.deepEqual(settings.get('plugins.paths'), []);
  settings.set('plugins.paths', ['/opt/plugins']);
  t.deepEqual(new Settings(configDir).get('plugins.paths'), ['/opt/plugins']);
  t.is(statSync(settings.path).mode & 0o777, 0o600);
  t.deepEqual(Object.keys(SETTINGS_DEFAULTS), SETTING_KEY_NAMES);
  for (const key of SETTING_KEY_NAMES) t.deepEqual(SETTINGS_DEFAULTS[key], SETTING_KEYS[key].default, key);
  t.like(SETTINGS_DEFAULTS, { 'log.level': 'info', 'security.requireSignature': false });
});

test('a corrupt settings file is kept aside and the defaults apply', (t) => {
  const configDir = tempDir(t);
  writeFileSync(join(configDir, 'settings.json'), '{ not json');
  const settings = new Settings(configDir);
  t.truthy(settings.recovered);
  t.true(readdirSync(configDir).some((name) => name.startsWith('settings.json.corrupt-')));
  t.like(settings.describe('log.level'), { value: 'info', source: 'default' });
});

test('every default is a valid value of its own key', (t) => {
  for (const key of SETTING_KEY_NAMES) t.true(checkSetting(key, SETTING_KEYS[key].default).ok, key);
});
