import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { twinbox, type CliResult } from '../helpers/cli.js';
import { removeFakeVms } from '../helpers/fake-vms.js';
import { forgetRuntimeDir, tempDir } from '../helpers/temp.js';
import { packFakeWorkspace } from '../helpers/workspace-package.js';

interface Machine {
  dir: string;
  systemDir: string;
  policyDir: string;
  home: string;
  run(args: string[]): Promise<CliResult>;
  pack(name: string, version?: string): Promise<string>;
}

/**
 * A system folder this test's user administers (it owns the folder, whose group is its own
 * and group-writable), beside a TWINBOX_HOME of its own, and an empty machine policy.
 */
function machine(t: ExecutionContext): Machine {
  const dir = tempDir(t, 'tbx-sys-');
  const systemDir = join(dir, 'system');
  const policyDir = join(dir, 'policy');
  const home = join(dir, 'home');
  mkdirSync(systemDir);
  chmodSync(systemDir, 0o2775);
  mkdirSync(policyDir);
  forgetRuntimeDir(t, home);
  t.teardown(() => removeFakeVms(home));
  const env = { TWINBOX_HOME: home, TWINBOX_SYSTEM_DIR: systemDir, TWINBOX_POLICY_DIR: policyDir };
  return { dir, systemDir, policyDir, home, run: (args) => twinbox(args, env), pack: (name, version) => packFakeWorkspace(t, dir, name, version) };
}

function ok(t: ExecutionContext, result: CliResult): CliResult {
  t.is(result.exitCode, 0, result.stderr);
  return result;
}

interface Listed {
  name: string;
  scope: string;
  version: string;
  shadowed?: boolean;
  reason: string;
  setup: { state: string };
}

async function listed(t: ExecutionContext, m: Machine): Promise<Listed[]> {
  return JSON.parse(ok(t, await m.run(['status', '--json'])).stdout) as Listed[];
}

test('a machine-wide install is listed beside the user’s own workspaces, each marked with its scope, in a group-shared folder', async (t) => {
  const m = machine(t);
  const installed = ok(t, await m.run(['install', '--system', '--unattended', await m.pack('office')]));
  t.regex(installed.stdout, /^installed office 1\.0\.0 machine-wide\n {2}store: {6}.*\/system\/store\/office\/1\.0\.0\n/);
  ok(t, await m.run(['install', '--unattended', await m.pack('notes')]));

  t.deepEqual((await listed(t, m)).map((s) => `${s.name}:${s.scope}`), ['notes:user', 'office:system']);
  const policy = JSON.parse(ok(t, await m.run(['policy', '--workspace', 'office', '--json'])).stdout) as { settings: Array<{ key: string; source: string }> };
  t.is(policy.settings.find((setting) => setting.key === 'vm.memoryMiB')?.source, 'package', 'policy --workspace reads the machine-wide package');
  const plain = ok(t, await m.run(['status'])).stdout.split('\n');
  t.regex(plain[0]!, /^NAME +SCOPE +VERSION/);
  t.regex(plain[1]!, /^notes +user +1\.0\.0/);
  t.regex(plain[2]!, /^office +system +1\.0\.0/);

  const gid = statSync(m.systemDir).gid;
  for (const [path, mode] of [
    ['registry.json', 0o664],
    ['store', 0o2775],
    ['store/office/1.0.0', 0o2775],
    ['store/office/1.0.0/guest.tar', 0o444],
    ['store/office/1.0.0/workspace.json', 0o444],
  ] as const) {
    const info = statSync(join(m.systemDir, path));
    t.is(info.mode & 0o7777, mode, `${path} is ${(info.mode & 0o7777).toString(8)}`);
    t.is(info.gid, gid, `${path} belongs to the folder's group`);
  }
});

test('a user runs a machine-wide app on a VM of their own: its disk and state are in their folder, the system folder is untouched', async (t) => {
  const m = machine(t);
  ok(t, await m.run(['install', '--system', '--unattended', await m.pack('office')]));
  const ran = ok(t, await m.run(['run', '--quiet', 'office', 'greet', '--', 'from', 'the host']));
  t.is(ran.stdout, 'hello from the host\n');
  const apps = JSON.parse(ok(t, await m.run(['apps', 'office', '--json'])).stdout) as Array<{ id: string }>;
  t.deepEqual(apps.map((app) => app.id), ['greet']);
  ok(t, await m.run(['install', '--unattended', await m.pack('notes')]));
  ok(t, await m.run(['setup', 'notes', '--mode', 'silent']));
  const every = JSON.parse(ok(t, await m.run(['apps', '--json'])).stdout) as Array<{ workspace: string; scope: string; id: string }>;
  t.deepEqual(every.map((app) => `${app.workspace}:${app.scope}:${app.id}`), ['notes:user:greet', 'office:system:greet']);
  // Both publish "Greeter": the listing makes each name unique with its workspace.
  t.regex(ok(t, await m.run(['apps'])).stdout, /^WORKSPACE +SCOPE +ID +NAME +KIND +SOURCE\nnotes +user +greet +Greeter \(notes\) +command +discovered\noffice +system +greet +Greeter \(office\) +command +discovered\n$/);

  const own = JSON.parse(readFileSync(join(m.home, 'data', 'registry.json'), 'utf8')) as { workspaces: Record<string, { scope?: string; storeDir: string; vm?: { vmDir: string } }> };
  t.is(own.workspaces.office?.scope, 'system');
  t.is(own.workspaces.office?.storeDir, join(m.systemDir, 'store', 'office', '1.0.0'));
  t.is(own.workspaces.office?.vm?.vmDir, join(m.home, 'data', 'workspaces', 'office', 'vm'));
  const system = JSON.parse(readFileSync(join(m.systemDir, 'registry.json'), 'utf8')) as { workspaces: Record<string, { vm?: unknown; setup: { state: string } }> };
  t.is(system.workspaces.office?.vm, undefined, 'the system registry never records a user’s VM');
  t.is(system.workspaces.office?.setup.state, 'pending');
  t.false(existsSync(join(m.systemDir, 'workspaces', 'office', 'vm')));
});

test('a workspace of the user’s own cannot take a machine-wide name, and one installed earlier hides the machine-wide one, as the listing says', async (t) => {
  const m = machine(t);
  const mine = await m.pack('office');
  ok(t, await m.run(['install', '--unattended', mine]));
  ok(t, await m.run(['install', '--system', '--unattended', mine]));
  const rows = await listed(t, m);
  t.deepEqual(rows.map((s) => `${s.name}:${s.scope}:${s.shadowed ?? false}`), ['office:user:false', 'office:system:true']);
  t.regex(rows[1]!.reason, /hidden by your own workspace "office": uninstall yours/);
  ok(t, await m.run(['install', '--unattended', await m.pack('office', '1.1.0')]));
  t.like((await listed(t, m))[0], { name: 'office', scope: 'user', version: '1.1.0' }, 'the user’s own one may still be upgraded');

  ok(t, await m.run(['install', '--system', '--unattended', await m.pack('tools')]));
  const clash = await m.run(['install', '--unattended', await m.pack('tools', '2.0.0')]);
  t.is(clash.exitCode, 2);
  t.is(clash.stderr.split('\n').filter((line) => line.startsWith('twinbox:')).length, 1);
  t.regex(clash.stderr, /"tools" is installed machine-wide; a workspace of your own with that name would hide it\nhint: .*install --system/);
});

test('access.workspaces in machine policy hides a denied workspace and refuses to use it with exit 4; a user’s own value grants nothing', async (t) => {
  const m = machine(t);
  ok(t, await m.run(['install', '--system', '--unattended', await m.pack('office')]));
  ok(t, await m.run(['install', '--system', '--unattended', await m.pack('secret')]));
  writeFileSync(join(m.policyDir, 'policy.json'), JSON.stringify({ 'access.workspaces': { secret: ['someone-else', '@no-such-group'] } }));
  mkdirSync(join(m.home, 'config'), { recursive: true });
  writeFileSync(join(m.home, 'config', 'settings.json'), JSON.stringify({ 'access.workspaces': { secret: [userInfo().username] } }));

  t.deepEqual((await listed(t, m)).map((s) => s.name), ['office']);
  for (const args of [['run', 'secret', 'greet'], ['start', 'secret'], ['apps', 'secret'], ['status', 'secret']]) {
    const denied = await m.run(args);
    t.is(denied.exitCode, 4, args.join(' '));
    t.regex(denied.stderr, new RegExp(`^twinbox: access to workspace "secret" is denied by policy: ${userInfo().username} is not among the users allowed to use workspace "secret" \\(someone-else, @no-such-group\\)\\nhint: ask an administrator`));
  }
  const events = readFileSync(join(m.home, 'data', 'events.jsonl'), 'utf8');
  t.regex(events, /"code":5100/);

  // A policy file that cannot be read as JSON and has no last good version fails closed.
  mkdirSync(join(m.policyDir, 'policy.d'));
  writeFileSync(join(m.policyDir, 'policy.d', '50-broken.json'), '{ not json');
  for (const args of [['run', 'office', 'greet'], ['status']]) {
    const closed = await m.run(args);
    t.is(closed.exitCode, 4, args.join(' '));
    t.regex(closed.stderr, /may be enforced by .*50-broken\.json, which is malformed/);
  }
  rmSync(join(m.policyDir, 'policy.d', '50-broken.json'));

  const group = readFileSync('/etc/group', 'utf8').split('\n').find((line) => line.split(':')[2] === String(process.getgid?.()))?.split(':')[0];
  if (!group) return t.log('the primary group has no name in /etc/group: the @group case is left out');
  writeFileSync(join(m.policyDir, 'policy.json'), JSON.stringify({ 'access.workspaces': { secret: [`@${group}`] } }));
  t.deepEqual((await listed(t, m)).map((s) => s.name), ['office', 'secret'], 'a member of a listed @group may use it');
});

test('an admin upgrade moves each user’s VM to the new version at their next start, and the old base stays for VMs still on it', async (t) => {
  const m = machine(t);
  ok(t, await m.run(['install', '--system', '--unattended', await m.pack('office', '1.0.0')]));
  ok(t, await m.run(['start', 'office']));
  const upgraded = ok(t, await m.run(['install', '--system', '--unattended', await m.pack('office', '1.1.0')]));
  t.regex(upgraded.stdout, /^upgraded office machine-wide from 1\.0\.0 to 1\.1\.0/);
  t.regex(upgraded.stderr, /warning: every user's VM of office is set up again from 1\.1\.0/);

  const pending = (await listed(t, m))[0]!;
  t.like(pending, { name: 'office', scope: 'system', version: '1.1.0', setup: { state: 'pending' } });
  ok(t, await m.run(['start', 'office']));
  t.like((await listed(t, m))[0], { version: '1.1.0', setup: { state: 'ready' } });
  t.true(existsSync(join(m.systemDir, 'store', 'office', '1.0.0')), 'an install never deletes a base users may still run on');
  t.is(ok(t, await m.run(['run', '--quiet', 'office', 'greet'])).stdout, 'hello \n');
});

test('uninstall --system removes a workspace for everyone; a user’s leftovers are explained and theirs to remove', async (t) => {
  const m = machine(t);
  ok(t, await m.run(['install', '--system', '--unattended', await m.pack('office')]));
  ok(t, await m.run(['start', 'office']));

  const withoutFlag = await m.run(['uninstall', 'office']);
  t.is(withoutFlag.exitCode, 2, 'an admin is told to say --system');
  t.regex(withoutFlag.stderr, /"office" is installed machine-wide\nhint: run `twinbox uninstall --system office`/);

  const removed = ok(t, await m.run(['uninstall', '--system', 'office']));
  t.regex(removed.stdout, /^uninstalled office 1\.0\.0 machine-wide\n/);
  t.false(existsSync(join(m.systemDir, 'store', 'office')));
  t.regex((await listed(t, m))[0]!.reason, /an administrator uninstalled this machine-wide workspace: `twinbox uninstall office` removes your VM/);

  const replace = await m.run(['install', '--unattended', await m.pack('office', '2.0.0')]);
  t.is(replace.exitCode, 2);
  t.regex(replace.stderr, /your VM of the machine-wide workspace "office", which an administrator uninstalled, is still here\nhint: run `twinbox uninstall office`/);
  ok(t, await m.run(['uninstall', 'office']));
  t.deepEqual(await listed(t, m), []);
  const again = await m.run(['uninstall', '--system', 'office']);
  t.is(again.exitCode, 2);
  t.regex(again.stderr, /no machine-wide workspace named "office" is installed/);
});

const asRoot = process.getuid?.() === 0 ? test : test.skip;

asRoot('a first machine-wide install that fails leaves no system folder behind', async (t) => {
  const dir = tempDir(t, 'tbx-sys-');
  const systemDir = join(dir, 'var', 'twinbox');
  const home = join(dir, 'home');
  forgetRuntimeDir(t, home);
  const broken = join(dir, 'broken.twbx');
  writeFileSync(broken, 'not a tar archive');
  // An existing group, so that no group is created on this machine for the test.
  const result = await twinbox(['install', '--system', '--unattended', broken], { TWINBOX_HOME: home, TWINBOX_SYSTEM_DIR: systemDir, TWINBOX_SYSTEM_GROUP: 'root' });
  t.is(result.exitCode, 3, result.stderr);
  t.false(existsSync(systemDir));
});
