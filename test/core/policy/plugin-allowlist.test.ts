import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { openCore } from '../../../src/core/open-core.js';
import { writePlugin } from '../../helpers/plugin-fixtures.js';
import { tempDir } from '../../helpers/temp.js';
import { policyWorld } from './policy-fixtures.js';

/** A plugin whose import leaves a marker file and then throws: proof it was (not) imported. */
function tripwireSource(marker: string): string {
  return `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');\nthrow new Error('tripwire imported');\n`;
}

test('plugins not in plugins.allowed are never imported and are reported as denied by the policy file', async (t) => {
  const world = policyWorld(t);
  const plugins = tempDir(t);
  const marker = join(tempDir(t), 'imported');
  writePlugin(plugins, { name: 'tripwire', source: tripwireSource(marker) });
  writePlugin(plugins, { name: 'good' });
  const file = world.write('policy.d/10-org.json', { 'plugins.allowed': ['good'] });
  const core = openCore({ env: world.env, builtInPluginsDir: plugins });

  const reports = await core.plugins.reports();
  t.like(reports.find((report) => report.name === 'tripwire'), { status: 'denied', reason: `not allowed by policy (${file})` });
  t.like(reports.find((report) => report.name === 'good'), { status: 'loaded' });
  t.like(await core.plugins.availability('tripwire'), { usable: false, reason: `not allowed by policy (${file})` });

  const error = await t.throwsAsync(core.plugins.guestAgent('tripwire'));
  t.like(error, { code: 'plugin-denied', exitCode: 4, message: `plugin "tripwire" is not allowed by policy (${file})` });
  t.false(existsSync(marker), 'the denied plugin was never imported');
});

test('an empty or unset allowlist allows every plugin', async (t) => {
  const world = policyWorld(t);
  const plugins = tempDir(t);
  writePlugin(plugins, { name: 'one' });
  writePlugin(plugins, { name: 'two' });
  world.write('policy.json', { 'plugins.allowed': [] });
  const reports = await openCore({ env: world.env, builtInPluginsDir: plugins }).plugins.reports();
  t.deepEqual(reports.map((report) => report.status), ['loaded', 'loaded']);
});

test("a user's own allowlist names the settings file in the reason", async (t) => {
  const world = policyWorld(t);
  const plugins = tempDir(t);
  writePlugin(plugins, { name: 'one' });
  writePlugin(plugins, { name: 'two' });
  const { settings } = world.open();
  settings.set('plugins.allowed', ['one']);
  const [, two] = await openCore({ env: world.env, builtInPluginsDir: plugins }).plugins.list();
  t.like(two, { name: 'two', status: 'denied', reason: `not allowed by the plugins.allowed setting (${settings.path})` });
});

test('a broken policy file that may set plugins.allowed stops twinbox from loading any plugin', (t) => {
  const world = policyWorld(t);
  const file = world.write('policy.d/10-org.json', '{ "plugins.allowed": ');
  const error = t.throws(() => openCore({ env: world.env, builtInPluginsDir: tempDir(t) }).plugins);
  t.like(error, { code: 'policy-malformed', exitCode: 4, details: { key: 'plugins.allowed', file } });
});
