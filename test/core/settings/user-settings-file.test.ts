import { execFile } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { Settings } from '../../../src/core/settings/settings.js';
import { UserSettingsFile } from '../../../src/core/settings/user-settings-file.js';
import { tempDir } from '../../helpers/temp.js';

test('a settings file another process replaces is read again by the next setting read', (t) => {
  const dir = tempDir(t);
  const file = new UserSettingsFile(dir);
  const settings = new Settings(file);
  t.is(settings.get('log.level'), 'info');
  settings.set('log.level', 'warn');
  t.is(settings.get('log.level'), 'warn');
  // As conf writes it: a new file renamed over the old one.
  writeFileSync(join(dir, 'settings.json.new'), JSON.stringify({ 'log.level': 'debug' }));
  renameSync(join(dir, 'settings.json.new'), file.path);
  t.is(settings.get('log.level'), 'debug');
  t.deepEqual(file.keys(), ['log.level']);
  // Edited in place to a different size (an editor saving over the file).
  writeFileSync(file.path, JSON.stringify({ 'log.level': 'error', 'plugins.allowed': ['fake'] }));
  t.is(settings.get('log.level'), 'error');
  t.deepEqual(settings.get('plugins.allowed'), ['fake']);
  t.true(file.has('plugins.allowed'));
  settings.unset('plugins.allowed');
  t.false(file.has('plugins.allowed'));
});

test('a value read from the settings file cannot be changed behind the file by its reader', (t) => {
  const file = new UserSettingsFile(tempDir(t));
  file.write('plugins.allowed', ['fake']);
  (file.read('plugins.allowed') as string[]).push('qemu');
  t.deepEqual(file.read('plugins.allowed'), ['fake']);
});

test('a settings file as the first twinbox wrote it (tab-indented, with the defaults conf wrote then) reads as before and is not rewritten by reading', (t) => {
  const dir = tempDir(t);
  const old = '{\n\t"plugins.paths": [],\n\t"log.level": "info"\n}';
  writeFileSync(join(dir, 'settings.json'), old);
  const settings = new Settings(dir);
  t.like(settings.describe('log.level'), { value: 'info', source: 'user' });
  t.like(settings.describe('plugins.paths'), { value: [], source: 'user' });
  t.deepEqual(settings.problems(), []);
  t.is(readFileSync(settings.path, 'utf8'), old);
  settings.set('vm.memoryMiB', 2048);
  t.deepEqual(JSON.parse(readFileSync(settings.path, 'utf8')), { 'plugins.paths': [], 'log.level': 'info', 'vm.memoryMiB': 2048 });
});

test('a value edited into the file that the schema refuses costs only its key: other keys read and write, and unsetting it mends the file', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ 'security.requireSignature': 'yes', 'log.level': 'warn' }));
  const settings = new Settings(dir);
  t.is(settings.get('log.level'), 'warn');
  settings.set('vm.memoryMiB', 2048);
  t.is(new Settings(dir).get('vm.memoryMiB'), 2048);
  t.throws(() => settings.get('security.requireSignature'), { code: 'setting-invalid' });
  settings.unset('security.requireSignature');
  t.deepEqual(JSON.parse(readFileSync(settings.path, 'utf8')), { 'log.level': 'warn', 'vm.memoryMiB': 2048 });
  const mended = new Settings(dir);
  t.is(mended.get('security.requireSignature'), false);
  // The file passes the schema again: a value the key table would let through by mistake is refused by conf too.
  const file = new UserSettingsFile(dir);
  t.throws(() => file.write('vm.memoryMiB', 'lots'), { message: /^Config schema violation: `vm\.memoryMiB` must be integer/ });
  t.is(file.read('vm.memoryMiB'), 2048);
});

test("two processes setting settings at once keep each other's changes", async (t) => {
  const dir = tempDir(t);
  const module = new URL('../../../src/core/settings/user-settings-file.js', import.meta.url).href;
  const writer = (key: string) =>
    new Promise<void>((resolve, reject) => {
      const script = `const { UserSettingsFile } = await import(${JSON.stringify(module)}); const file = new UserSettingsFile(${JSON.stringify(dir)}); for (let i = 1; i <= 150; i++) file.write(${JSON.stringify(key)}, i);`;
      execFile(process.execPath, ['--input-type=module', '-e', script], (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve()));
    });
  await Promise.all([writer('setup.timeoutMinutes'), writer('workspace.idleMinutes'), writer('setup.retryTimeoutIncrementMinutes')]);
  t.deepEqual(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')), { 'setup.timeoutMinutes': 150, 'workspace.idleMinutes': 150, 'setup.retryTimeoutIncrementMinutes': 150 });
});

test('onDidChange tells of a change another process makes to the file, and a damaged file does not throw in the watcher', async (t) => {
  const dir = tempDir(t);
  const settings = new Settings(dir);
  let told = 0;
  const changed = () => new Promise<void>((resolve) => {
    const started = told;
    const poll = setInterval(() => {
      if (told > started) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
  });
  const stop = settings.onDidChange(() => told++);
  t.teardown(stop);
  t.true(existsSync(settings.path), 'the watched file exists');
  // The watcher's first look at the file, which later ones are compared with, is taken in the background.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const first = changed();
  writeFileSync(join(dir, 'settings.json.new'), JSON.stringify({ 'log.level': 'debug' }));
  renameSync(join(dir, 'settings.json.new'), settings.path);
  await first;
  t.is(settings.get('log.level'), 'debug');
  const second = changed();
  writeFileSync(settings.path, '{ "log.level": ');
  await second;
  t.is(told, 2);
});
