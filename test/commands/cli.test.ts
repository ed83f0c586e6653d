import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

test('--version prints the package version', async (t) => {
  const result = await twinbox(['--version']);
  t.is(result.exitCode, 0);
  t.is(result.stdout, `${pkg.version}\n`);
});

test('--help lists the commands and the exit codes', async (t) => {
  const result = await twinbox(['--help']);
  t.is(result.exitCode, 0);
  t.regex(result.stdout, /plugins\s+list hypervisor/);
  t.regex(result.stdout, /doctor/);
  t.regex(result.stdout, /75 busy/);
});

test('an unknown command is a usage error with exit code 2', async (t) => {
  const result = await twinbox(['frobnicate']);
  t.is(result.exitCode, 2);
  t.is(result.stderr.split('\n')[0], 'twinbox: unknown command "frobnicate"');
});

test('an unknown flag is a usage error with exit code 2', async (t) => {
  const result = await twinbox(['plugins', '--frob'], { TWINBOX_HOME: tempDir(t) });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /Unknown option '--frob'/);
});

test('a TWINBOX_HOME that cannot be written gives one line and exit code 1', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder');
  const result = await twinbox(['plugins'], { TWINBOX_HOME: join(file, 'home') });
  t.is(result.exitCode, 1);
  t.regex(result.stderr, /^twinbox: cannot write twinbox state in .*a-file\/home\/config \(ENOTDIR\)\nhint: point TWINBOX_HOME at a writable folder/);
  t.notRegex(result.stderr, /at .*\.js:\d+/);
});

test('plugins --json lists the built-in plugins with honest availability', async (t) => {
  const result = await twinbox(['plugins', '--json'], { TWINBOX_HOME: tempDir(t) });
  t.is(result.exitCode, 0, result.stderr);
  const reports = JSON.parse(result.stdout) as Array<{ name: string; kind: string; status: string; reason: string; simulated?: boolean }>;
  const byName = new Map(reports.map((r) => [r.name, r]));
  for (const name of ['qemu', 'hyperv', 'virtualbox', 'fake', 'qga']) t.true(byName.has(name), `${name} is listed`);
  t.like(byName.get('fake'), { kind: 'hypervisor', status: 'loaded', simulated: true });
  t.like(byName.get('qga'), { kind: 'guest-agent', status: 'loaded' });
  // Neither tool can exist on this Linux machine; the reason must say what to install.
  t.is(byName.get('hyperv')!.status, 'unavailable');
  t.is(byName.get('virtualbox')!.status, 'unavailable');
  t.regex(byName.get('virtualbox')!.reason, /VBoxManage/);
  const qemuPresent = existsSync('/usr/bin/qemu-system-x86_64');
  t.is(byName.get('qemu')!.status, qemuPresent ? 'loaded' : 'unavailable', byName.get('qemu')!.reason);
});

test('a broken plugin in the plugins.paths setting is listed as broken while the command still works', async (t) => {
  const home = tempDir(t);
  const extra = join(home, 'extra');
  mkdirSync(join(extra, 'oops'), { recursive: true });
  writeFileSync(join(extra, 'oops', 'package.json'), '{"twinbox": {"name": "oops", "kind": "hypervisor", "apiVersion": "1.0.0", "entry": "./index.js"}}');
  writeFileSync(join(extra, 'oops', 'index.js'), 'syntax error here (');
  mkdirSync(join(home, 'config'), { recursive: true });
  writeFileSync(join(home, 'config', 'settings.json'), JSON.stringify({ 'plugins.paths': [extra] }));
  const result = await twinbox(['plugins'], { TWINBOX_HOME: home });
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /oops\s+hypervisor\s+0\.0\.0\s+1\.0\.0\s+broken\s+import of .* failed: /);
  t.regex(result.stdout, /fake\s+hypervisor/);
});

test('a corrupted settings file is kept aside as a backup and reported, not lost', async (t) => {
  const home = tempDir(t);
  mkdirSync(join(home, 'config'), { recursive: true });
  writeFileSync(join(home, 'config', 'settings.json'), '{ this is not json');
  const result = await twinbox(['plugins', '--json'], { TWINBOX_HOME: home });
  t.is(result.exitCode, 0, result.stderr);
  const backups = readdirSync(join(home, 'config')).filter((name) => name.startsWith('settings.json.corrupt-'));
  t.is(backups.length, 1);
  t.is(readFileSync(join(home, 'config', backups[0]!), 'utf8'), '{ this is not json');
  const events = readFileSync(join(home, 'data', 'events.jsonl'), 'utf8');
  t.regex(events, /settings file was unreadable and was kept aside/);
});

test('doctor --json names each tool with its status and fix', async (t) => {
  const result = await twinbox(['doctor', '--json'], { TWINBOX_HOME: tempDir(t) });
  const report = JSON.parse(result.stdout) as { checks: Array<{ check: string; status: string; fix?: string }>; ok: boolean };
  const checks = new Map(report.checks.map((c) => [c.check, c]));
  for (const name of ['qemu-system', 'qemu-img', 'kvm', 'virtualbox', 'hyper-v']) t.true(checks.has(name), name);
  t.is(checks.get('virtualbox')!.status, 'missing');
  t.regex(checks.get('virtualbox')!.fix!, /install VirtualBox/);
  t.is(result.exitCode, report.ok ? 0 : 1);
});
