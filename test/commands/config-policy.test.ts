import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { EventCodes } from '../../src/core/events/codes.js';
import type { EventRecord } from '../../src/core/events/event-log.js';
import type { EffectiveSetting, SettingsProblem } from '../../src/core/settings/effective-setting.js';
import type { PolicyFileReport } from '../../src/core/policy/machine-policy.js';
import { SETTING_KEY_NAMES } from '../../src/core/settings/keys.js';
import { WorkspaceRegistry } from '../../src/core/workspace/registry.js';
import { twinbox } from '../helpers/cli.js';
import { writePlugin } from '../helpers/plugin-fixtures.js';
import { forgetRuntimeDir, tempDir } from '../helpers/temp.js';

interface PolicyOutput {
  policyDir: string;
  workspace: string | null;
  settings: EffectiveSetting[];
  files: PolicyFileReport[];
  problems: SettingsProblem[];
}

function cliWorld(t: ExecutionContext) {
  const root = tempDir(t, 'tbx-cli-policy-');
  const home = join(root, 'home');
  forgetRuntimeDir(t, home);
  const policyDir = join(root, 'policy');
  mkdirSync(join(policyDir, 'policy.d'), { recursive: true });
  const env = { TWINBOX_HOME: home, TWINBOX_POLICY_DIR: policyDir };
  return {
    root,
    home,
    policyDir,
    run: (args: string[]) => twinbox(args, env),
    write(name: string, content: unknown): string {
      const file = join(policyDir, name);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    },
    events(): EventRecord[] {
      const file = join(home, 'data', 'events.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as EventRecord);
    },
  };
}

const byKey = (output: PolicyOutput) => new Map(output.settings.map((setting) => [setting.key, setting]));

test('config set, get, unset and list round-trip values of every type with their sources', async (t) => {
  const world = cliWorld(t);
  const set = async (key: string, value: string) => t.is((await world.run(['config', 'set', key, value])).exitCode, 0, `${key} ${value}`);
  await set('log.level', 'debug');
  await set('setup.maxRetries', '5');
  await set('publishing.enabled', 'false');
  await set('plugins.paths', '["/opt/twinbox-plugins"]');
  await set('access.workspaces', '{"office":["alice","@staff"]}');

  t.is((await world.run(['config', 'get', 'log.level'])).stdout, 'debug\n');
  t.is((await world.run(['config', 'get', 'plugins.paths'])).stdout, '["/opt/twinbox-plugins"]\n');
  const described = JSON.parse((await world.run(['config', 'get', 'setup.maxRetries', '--json'])).stdout) as EffectiveSetting;
  t.like(described, { key: 'setup.maxRetries', value: 5, source: 'user', locked: false, expected: 'a whole number from 0 to 10' });

  const list = await world.run(['config', 'list', '--json']);
  const settings = new Map((JSON.parse(list.stdout) as EffectiveSetting[]).map((setting) => [setting.key, setting]));
  t.like(settings.get('publishing.enabled'), { value: false, source: 'user' });
  t.like(settings.get('access.workspaces'), { value: { office: ['alice', '@staff'] }, source: 'user' });
  t.like(settings.get('vm.memoryMiB'), { value: 1024, source: 'default' });

  const unset = await world.run(['config', 'unset', 'log.level']);
  t.is(unset.exitCode, 0);
  t.is(unset.stdout, 'log.level unset; now info (default)\n');
  t.regex((await world.run(['config', 'list'])).stdout, /^setup\.maxRetries\s+5\s+user$/m);
  const stored = JSON.parse(readFileSync(join(world.home, 'config', 'settings.json'), 'utf8')) as Record<string, unknown>;
  t.deepEqual(Object.keys(stored).sort(), ['access.workspaces', 'plugins.paths', 'publishing.enabled', 'setup.maxRetries']);
});

test('config set refuses a bad value or an unknown key with exit 2 and changes nothing', async (t) => {
  const world = cliWorld(t);
  const bad = await world.run(['config', 'set', 'setup.maxRetries', 'lots']);
  t.is(bad.exitCode, 2);
  t.is(bad.stderr.split('\n')[0], 'twinbox: setup.maxRetries expects a whole number from 0 to 10, not lots (not JSON)');
  const wrongType = await world.run(['config', 'set', 'plugins.allowed', '{"qemu":true}']);
  t.is(wrongType.exitCode, 2);
  t.regex(wrongType.stderr, /plugins\.allowed expects a JSON array of plugin names/);
  const unknown = await world.run(['config', 'get', 'vm.cpus']);
  t.is(unknown.exitCode, 2);
  t.regex(unknown.stderr, /there is no setting named "vm.cpus"\nhint: run `twinbox config list`/);
  t.is((await world.run(['config', 'frob'])).exitCode, 2);
  t.is((await world.run(['config', 'get', 'setup.maxRetries'])).stdout, '3\n');
});

test('config set of a value nested 5,000 arrays deep is refused in one line with exit 2 and stores nothing', async (t) => {
  const world = cliWorld(t);
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  for (const key of ['plugins.paths', 'setup.maxRetries', 'access.workspaces']) {
    const result = await world.run(['config', 'set', key, deep]);
    t.is(result.exitCode, 2, key);
    const [line, hint, ...rest] = result.stderr.split('\n');
    t.regex(line!, new RegExp(`^twinbox: ${key.replace('.', '\\.')} expects .*, not \\[\\[\\[.*\\.\\.\\.`), key);
    t.is(hint, 'hint: run `twinbox config list` to see each setting with its value');
    t.deepEqual(rest, ['']);
  }
  const json = await world.run(['config', 'set', 'plugins.paths', deep, '--json']);
  t.like(JSON.parse(json.stdout), { error: { code: 'setting-invalid', exitCode: 2 } });
  t.false(existsSync(join(world.home, 'config', 'settings.json')));
});

test('config set and unset of a key enforced by policy exit 4 naming the policy file', async (t) => {
  const world = cliWorld(t);
  const file = world.write('policy.d/10-org.json', { 'plugins.allowed': ['qemu', 'qga'] });
  for (const args of [['config', 'set', 'plugins.allowed', '[]'], ['config', 'unset', 'plugins.allowed']]) {
    const result = await world.run(args);
    t.is(result.exitCode, 4, args.join(' '));
    t.is(result.stderr.split('\n')[0], `twinbox: plugins.allowed is enforced by ${file}`);
  }
  const json = await world.run(['config', 'set', 'plugins.allowed', '[]', '--json']);
  t.like(JSON.parse(json.stdout), { error: { code: 'policy-locked', exitCode: 4 } });
});

test('policy --json shows each effective value with its source, later policy files winning', async (t) => {
  const world = cliWorld(t);
  const main = world.write('policy.json', { 'log.level': 'warn', 'vm.network': 'none' });
  const org = world.write('policy.d/10-org.json', { 'vm.network': 'bridged', 'security.requireSignature': true });
  await world.run(['config', 'set', 'setup.maxRetries', '6']);

  const result = await world.run(['policy', '--json']);
  t.is(result.exitCode, 0, result.stderr);
  const output = JSON.parse(result.stdout) as PolicyOutput;
  t.is(output.policyDir, world.policyDir);
  t.is(output.workspace, null);
  const settings = byKey(output);
  t.like(settings.get('log.level'), { value: 'warn', source: `policy:${main}`, locked: true });
  t.like(settings.get('vm.network'), { value: 'bridged', source: `policy:${org}`, locked: true });
  t.like(settings.get('security.requireSignature'), { value: true, source: `policy:${org}` });
  t.like(settings.get('setup.maxRetries'), { value: 6, source: 'user', locked: false });
  t.like(settings.get('setup.mode'), { value: 'unattended', source: 'default' });
  t.is(output.settings.length, SETTING_KEY_NAMES.length, 'every key, each once');
  t.is(new Set(output.settings.map((setting) => setting.key)).size, SETTING_KEY_NAMES.length);
  t.deepEqual(output.files.map((file) => [file.file, file.status]), [[main, 'applied'], [org, 'applied']]);
  t.deepEqual(output.problems, []);

  const plain = await world.run(['policy']);
  t.regex(plain.stdout, new RegExp(`^vm\\.network\\s+bridged\\s+policy:${org}$`, 'm'));
});

test('a malformed policy file is named, logged as event 5001, and its last good version stays in force', async (t) => {
  const world = cliWorld(t);
  const file = world.write('policy.d/10-org.json', { 'setup.maxRetries': 1 });
  t.is((await world.run(['config', 'get', 'setup.maxRetries'])).stdout, '1\n');
  world.write('policy.d/10-org.json', '{ "setup.maxRetries": 1,, }');

  t.is((await world.run(['config', 'get', 'setup.maxRetries'])).stdout, '1\n');
  const output = JSON.parse((await world.run(['policy', '--json'])).stdout) as PolicyOutput;
  t.like(byKey(output).get('setup.maxRetries'), { value: 1, source: `policy:${file}`, locked: true });
  t.like(output.files[0], { file, status: 'last-good' });
  t.like(output.problems[0], { file, severity: 'error' });
  t.regex(output.problems[0]!.message, /^malformed: not JSON .*its last good version .* stays in force$/);
  const logged = world.events().filter((event) => event.code === EventCodes.policyMalformed);
  t.is(logged.length, 1, 'reported once, not on every command');
  t.like(logged[0], { level: 'error', category: 'policy', fields: { file, fallback: 'last-good' } });
});

test('a broken policy with no last good version fails commands with exit 4 while twinbox policy shows the problem', async (t) => {
  const world = cliWorld(t);
  const file = world.write('policy.d/10-org.json', 'plugins.allowed = qemu');
  const plugins = await world.run(['plugins']);
  t.is(plugins.exitCode, 4);
  t.regex(plugins.stderr.split('\n')[0]!, new RegExp(`^twinbox: plugins\\.allowed may be enforced by ${file}, which is malformed \\(not JSON`));
  t.is((await world.run(['config', 'get', 'log.level'])).exitCode, 4);
  t.is((await world.run(['config', 'set', 'log.level', 'debug'])).exitCode, 4);

  const shown = await world.run(['policy']);
  t.is(shown.exitCode, 0, shown.stderr);
  t.regex(shown.stdout, new RegExp(`refused\\s+${file}: not JSON`));
  t.regex(shown.stdout, /Problems:\n {2}error\s+.*no last good version is known/);
  const output = JSON.parse((await world.run(['policy', '--json'])).stdout) as PolicyOutput;
  t.true(output.settings.every((setting) => setting.value === null && setting.source === `policy:${file}`));
});

test('plugins outside the policy allowlist are listed as denied and never imported', async (t) => {
  const world = cliWorld(t);
  const extra = tempDir(t);
  const marker = join(world.root, 'tripwire-imported');
  writePlugin(extra, { name: 'tripwire', source: `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\n` });
  await world.run(['config', 'set', 'plugins.paths', JSON.stringify([extra])]);
  const file = world.write('policy.d/10-org.json', { 'plugins.allowed': ['fake', 'qga'] });

  const result = await world.run(['plugins', '--json']);
  t.is(result.exitCode, 0, result.stderr);
  const reports = new Map((JSON.parse(result.stdout) as Array<{ name: string; status: string; reason: string }>).map((r) => [r.name, r]));
  t.like(reports.get('tripwire'), { status: 'denied', reason: `not allowed by policy (${file})` });
  t.like(reports.get('qemu'), { status: 'denied' });
  t.like(reports.get('fake'), { status: 'loaded' });
  t.false(existsSync(marker), 'the denied plugin was never imported');
});

test('policy --workspace adds the package defaults of an installed workspace', async (t) => {
  const world = cliWorld(t);
  const storeDir = join(world.home, 'data', 'store', 'office', '1.0.0');
  mkdirSync(storeDir, { recursive: true });
  const manifest = {
    name: 'office',
    version: '1.0.0',
    image: { file: 'disk.qcow2', format: 'qcow2', sha256: 'a'.repeat(64) },
    setup: { maxRetries: 0 },
    vm: { memoryMiB: 3072 },
  };
  writeFileSync(join(storeDir, 'workspace.json'), JSON.stringify(manifest));
  new WorkspaceRegistry(join(world.home, 'data')).put({
    name: 'office',
    version: '1.0.0',
    description: '',
    installedAt: new Date(0).toISOString(),
    storeDir,
    imagePath: join(storeDir, 'disk.qcow2'),
    setup: { state: 'pending' },
  });
  world.write('policy.json', { 'vm.memoryMiB': 2048 });
  await world.run(['config', 'set', 'setup.maxRetries', '4']);

  const output = JSON.parse((await world.run(['policy', '--workspace', 'office', '--json'])).stdout) as PolicyOutput;
  t.is(output.workspace, 'office');
  const settings = byKey(output);
  t.like(settings.get('vm.memoryMiB'), { value: 2048, source: `policy:${world.policyDir}/policy.json`, overridden: [{ source: 'package', value: 3072 }] });
  t.like(settings.get('setup.maxRetries'), { value: 4, source: 'user', overridden: [{ source: 'package', value: 0 }] });
  t.like(settings.get('setup.computerName'), { value: 'TWINBOX*', source: 'default' });

  const missing = await world.run(['policy', '--workspace', 'nope']);
  t.is(missing.exitCode, 2);
  t.regex(missing.stderr, /no workspace named "nope"/);
});
