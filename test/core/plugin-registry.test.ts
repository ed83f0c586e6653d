import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { openCore } from '../../src/core/open-core.js';
import { guestAgentSource, writePlugin } from '../helpers/plugin-fixtures.js';
import { tempDir } from '../helpers/temp.js';

function coreWith(t: ExecutionContext, builtIn: string) {
  const home = tempDir(t, 'tbx-home-');
  return openCore({ env: { ...process.env, TWINBOX_HOME: home }, builtInPluginsDir: builtIn });
}

test('a well-formed plugin is discovered, imported on demand and reported as loaded', async (t) => {
  const plugins = tempDir(t);
  writePlugin(plugins, { name: 'good' });
  const core = coreWith(t, plugins);
  const listed = await core.plugins.list();
  t.is(listed.length, 1);
  t.is(listed[0]!.reason, 'not loaded yet');
  const [report] = await core.plugins.reports();
  t.like(report, { name: 'good', kind: 'guest-agent', version: '1.2.3', status: 'loaded', source: 'built-in', displayName: 'Test agent good' });
  const agent = await core.plugins.guestAgent('good');
  t.is(agent.channelName, 'test.0');
});

test('a plugin whose package.json is not JSON is broken and the others still load', async (t) => {
  const plugins = tempDir(t);
  writePlugin(plugins, { name: 'bad', packageJson: '{ not json' });
  writePlugin(plugins, { name: 'good' });
  const reports = await coreWith(t, plugins).plugins.reports();
  const bad = reports.find((r) => r.dir.endsWith('/bad'));
  t.is(bad?.status, 'broken');
  t.regex(bad!.reason, /bad manifest: package.json is not valid JSON/);
  t.is(reports.find((r) => r.name === 'good')?.status, 'loaded');
});

test('manifest problems are each named in the reason', async (t) => {
  const plugins = tempDir(t);
  const cases: Array<[string, object, RegExp]> = [
    ['no-manifest', { name: 'x', version: '1.0.0' }, /no "twinbox" manifest/],
    ['bad-kind', { twinbox: { name: 'bad-kind', kind: 'printer', apiVersion: '1.0.0', entry: './index.js' } }, /kind "printer" is unknown/],
    ['bad-name', { twinbox: { name: 'Bad Name', kind: 'guest-agent', apiVersion: '1.0.0', entry: './index.js' } }, /name "Bad Name" is invalid/],
    ['escape', { twinbox: { name: 'escape', kind: 'guest-agent', apiVersion: '1.0.0', entry: '../../etc/passwd' } }, /inside the plugin folder/],
    ['no-entry', { twinbox: { name: 'no-entry', kind: 'guest-agent', apiVersion: '1.0.0' } }, /twinbox.entry is missing/],
  ];
  for (const [name, pkg] of cases) writePlugin(plugins, { name, packageJson: JSON.stringify(pkg) });
  mkdirSync(join(plugins, 'empty-folder'));
  const reports = await coreWith(t, plugins).plugins.reports();
  for (const [name, , pattern] of cases) {
    const report = reports.find((r) => r.dir.endsWith(`/${name}`));
    t.is(report?.status, 'broken', name);
    t.regex(report!.reason, pattern, name);
  }
  t.regex(reports.find((r) => r.dir.endsWith('/empty-folder'))!.reason, /no package.json/);
});

test('a plugin built for another major plugin API version is refused with a clear reason', async (t) => {
  const plugins = tempDir(t);
  writePlugin(plugins, { name: 'future', apiVersion: '2.0.0' });
  writePlugin(plugins, { name: 'newer-minor', apiVersion: '1.99.0' });
  writePlugin(plugins, { name: 'not-semver', apiVersion: 'latest' });
  const reports = await coreWith(t, plugins).plugins.reports();
  t.regex(reports.find((r) => r.name === 'future')!.reason, /major versions differ/);
  t.regex(reports.find((r) => r.name === 'newer-minor')!.reason, /upgrade twinbox/);
  t.regex(reports.find((r) => r.name === 'not-semver')!.reason, /not a semver version/);
  t.true(reports.every((r) => r.status === 'broken'));
});

test('a plugin whose import throws is broken, and asking for it gives a one-line error', async (t) => {
  const plugins = tempDir(t);
  writePlugin(plugins, { name: 'throws', source: "throw new Error('boom at import');\n" });
  const core = coreWith(t, plugins);
  const [report] = await core.plugins.reports();
  t.is(report!.status, 'broken');
  t.regex(report!.reason, /import of .* failed: boom at import/);
  const error = await t.throwsAsync(core.plugins.guestAgent('throws'));
  t.like(error, { code: 'plugin-broken' });
});

test('a plugin whose register() throws or registers nothing is broken', async (t) => {
  const plugins = tempDir(t);
  writePlugin(plugins, { name: 'reg-throws', source: "export function register() { throw new Error('no services'); }\n" });
  writePlugin(plugins, { name: 'reg-nothing', source: 'export function register() {}\n' });
  writePlugin(plugins, { name: 'no-register', source: 'export const x = 1;\n' });
  writePlugin(plugins, { name: 'wrong-kind', kind: 'hypervisor', source: guestAgentSource('wrong-kind') });
  const reports = await coreWith(t, plugins).plugins.reports();
  const reason = (name: string) => reports.find((r) => r.name === name)!.reason;
  t.regex(reason('reg-throws'), /register\(\) threw: no services/);
  t.regex(reason('reg-nothing'), /did not register twinbox.GuestAgent/);
  t.regex(reason('no-register'), /exports no register/);
  t.regex(reason('wrong-kind'), /did not register twinbox.Hypervisor|says kind "guest-agent"/);
});

test('a hypervisor plugin whose detect() hangs or rejects is reported, not fatal', async (t) => {
  const plugins = tempDir(t);
  const hypervisor = (name: string, detect: string) => `export function register(c) {
  const noop = async () => { throw new Error('unused'); };
  c.register('twinbox.Hypervisor', { useFactory: () => ({ kind: 'hypervisor', name: '${name}', displayName: '${name}', simulated: false,
    detect: ${detect}, capabilities: () => ({}), importImage: noop, create: noop, start: noop, stop: noop, pause: noop, suspend: noop,
    resume: noop, state: noop, listSnapshots: noop, createSnapshot: noop, restoreSnapshot: noop, deleteSnapshot: noop, remove: noop, openChannel: noop }) });
}\n`;
  writePlugin(plugins, { name: 'rejects', kind: 'hypervisor', source: hypervisor('rejects', "async () => { throw new Error('tool exploded'); }") });
  writePlugin(plugins, { name: 'missing-tool', kind: 'hypervisor', source: hypervisor('missing-tool', "async () => ({ usable: false, reason: 'tool not installed: install it' })") });
  writePlugin(plugins, { name: 'hangs', kind: 'hypervisor', source: hypervisor('hangs', '() => new Promise(() => {})') });
  const home = tempDir(t, 'tbx-home-');
  const reports = await openCore({ env: { ...process.env, TWINBOX_HOME: home }, builtInPluginsDir: plugins, detectTimeoutMs: 200 }).plugins.reports();
  t.like(reports.find((r) => r.name === 'hangs'), { status: 'broken', reason: 'detect() did not answer within 0.2 s' });
  t.like(reports.find((r) => r.name === 'rejects'), { status: 'broken', reason: 'tool exploded' });
  t.like(reports.find((r) => r.name === 'missing-tool'), { status: 'unavailable', reason: 'tool not installed: install it' });
});

test('plugins come from settings folders and twinbox-plugin-* npm packages; the first of a name wins', async (t) => {
  const builtIn = tempDir(t);
  writePlugin(builtIn, { name: 'shared' });
  const extra = tempDir(t);
  writePlugin(extra, { name: 'from-settings' });
  writePlugin(extra, { name: 'shared' });
  const packageRoot = tempDir(t);
  writePlugin(join(packageRoot, 'node_modules'), { name: 'twinbox-plugin-npmone' });
  writePlugin(join(packageRoot, 'node_modules'), { name: 'unrelated' });
  const { PluginRegistry } = await import('../../src/core/plugins/plugin-registry.js');
  const { EventLog } = await import('../../src/core/events/event-log.js');
  const { container } = await import('tsyringe');
  const home = tempDir(t);
  const registry = new PluginRegistry(
    container.createChildContainer(),
    { configDir: join(home, 'c'), dataDir: join(home, 'd'), cacheDir: join(home, 'k'), runtimeDir: join(home, 'r') },
    new EventLog(join(home, 'events.jsonl')),
    { builtInDir: builtIn, settingsPaths: [extra], packageRoot },
  );
  const reports = await registry.list();
  const summary = reports.map((r) => `${r.source}:${r.name}:${r.status}`);
  t.true(summary.includes('built-in:shared:loaded'));
  t.true(summary.includes('settings:from-settings:loaded'));
  t.true(summary.includes('settings:shared:broken'));
  t.regex(reports.find((r) => r.status === 'broken')!.reason, /duplicate plugin name "shared"/);
  t.false(summary.some((s) => s.includes('unrelated')));
  t.is(reports.find((r) => r.source === 'npm')?.dir, join(packageRoot, 'node_modules', 'twinbox-plugin-npmone'));
});
