import { renameSync, writeFileSync } from 'node:fs';
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
