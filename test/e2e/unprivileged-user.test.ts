import { chmodSync, existsSync, mkdirSync, readdirSync, chownSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { twinbox, type CliResult } from '../helpers/cli.js';
import { forgetRuntimeDir, tempDir } from '../helpers/temp.js';
import { forgetGroup, runAs, throwawayName, throwawayUser, twinboxAs, whyNoThrowawayUsers, type ThrowawayUser } from '../helpers/throwaway-users.js';
import { packFakeWorkspace } from '../helpers/workspace-package.js';
import { suiteTeardown } from '../helpers/suite-teardown.js';

/**
 * The CLI run by users who are not root, against machine-wide workspaces root installed on
 * the fake hypervisor: what they may do works, what they may not is refused by twinbox
 * (exit 4, one line and a hint) and by the files themselves.
 */
const why = whyNoThrowawayUsers();
if (why) console.log(`unprivileged-user tests skipped: ${why}`);
const serial = why ? test.skip : test.serial;

const suite = suiteTeardown(test);

interface World {
  systemDir: string;
  adminGroup: string;
  env: (user: ThrowawayUser) => NodeJS.ProcessEnv;
  /** An end user, an admin-group member who is not root, and another end user. */
  user: ThrowawayUser;
  admin: ThrowawayUser;
  other: ThrowawayUser;
  tools: string;
}

let world: World | undefined;

async function setUp(): Promise<World> {
  const dir = tempDir(suite, 'tbx-priv-');
  chmodSync(dir, 0o755);
  const systemDir = join(dir, 'system');
  const policyDir = join(dir, 'policy');
  mkdirSync(policyDir, { mode: 0o755 });
  const adminGroup = throwawayName('tbxa');
  forgetGroup(suite, adminGroup);
  forgetRuntimeDir(suite, join(dir, 'root-home'));
  const rootEnv = { TWINBOX_HOME: join(dir, 'root-home'), TWINBOX_SYSTEM_DIR: systemDir, TWINBOX_POLICY_DIR: policyDir, TWINBOX_SYSTEM_GROUP: adminGroup };
  const install = async (file: string) => {
    const result = await twinbox(['install', '--system', '--unattended', file], rootEnv);
    if (result.exitCode !== 0) throw new Error(`root's install failed: ${result.stderr}`);
  };
  // twinbox makes the group and the folder on root's first machine-wide install.
  await install(await packFakeWorkspace(suite, dir, 'office'));
  await install(await packFakeWorkspace(suite, dir, 'secret'));
  const tools = await packFakeWorkspace(suite, dir, 'tools');
  chmodSync(tools, 0o644);
  writeFileSync(join(policyDir, 'policy.json'), JSON.stringify({ 'access.workspaces': { secret: [`@${adminGroup}`] } }), { mode: 0o644 });

  const user = throwawayUser(suite, 'tbxu');
  const admin = throwawayUser(suite, 'tbxa', [adminGroup]);
  const other = throwawayUser(suite, 'tbxo');
  const homes = new Map<number, string>();
  for (const person of [user, admin, other]) {
    const home = join(dir, `home-${person.name}`);
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, person.uid, person.gid);
    homes.set(person.uid, home);
    // Their VMs go with them: a stop, as them, then the files.
    suite.teardown(() => twinboxAs(person, ['stop', 'office', '--force'], { TWINBOX_HOME: home, TWINBOX_SYSTEM_DIR: systemDir, TWINBOX_POLICY_DIR: policyDir }));
  }
  return {
    systemDir,
    adminGroup,
    env: (person) => ({ TWINBOX_HOME: homes.get(person.uid)!, TWINBOX_SYSTEM_DIR: systemDir, TWINBOX_POLICY_DIR: policyDir }),
    user,
    admin,
    other,
    tools,
  };
}

async function machine(): Promise<World> {
  world ??= await setUp();
  return world;
}

function asUser(w: World, person: ThrowawayUser, args: string[]): Promise<CliResult> {
  return twinboxAs(person, args, w.env(person));
}

serial('root’s first machine-wide install makes the system folder, owned by root and a new admin group', async (t) => {
  const w = await machine();
  const folder = lstatSync(w.systemDir);
  t.is(folder.uid, 0);
  t.is(folder.mode & 0o7777, 0o2775);
  t.is(folder.gid, lstatSync(join(w.systemDir, 'registry.json')).gid);
  const group = (await runAs(w.admin, 'id', ['-Gn'], {})).stdout;
  t.true(group.split(/\s+/).includes(w.adminGroup), `the admin is in ${w.adminGroup}: ${group}`);
});

serial('an unprivileged user lists a machine-wide workspace and runs its app on a VM of their own', async (t) => {
  const w = await machine();
  const version = await asUser(w, w.user, ['--version']);
  t.is(version.exitCode, 0, `twinbox must be readable by other users: ${version.stderr}`);
  const status = await asUser(w, w.user, ['status', '--json']);
  t.is(status.exitCode, 0, status.stderr);
  t.deepEqual((JSON.parse(status.stdout) as Array<{ name: string; scope: string }>).map((s) => `${s.name}:${s.scope}`), ['office:system'], 'secret is reserved for the admin group');

  const ran = await asUser(w, w.user, ['run', '--quiet', 'office', 'greet', '--', 'as', w.user.name]);
  t.is(ran.exitCode, 0, ran.stderr);
  t.is(ran.stdout, `hello as ${w.user.name}\n`);
  const apps = await asUser(w, w.user, ['apps', 'office']);
  t.regex(apps.stdout, /^ID +NAME +KIND +SOURCE\ngreet +Greeter +command/);
  const vmDir = join(w.env(w.user).TWINBOX_HOME!, 'data', 'workspaces', 'office', 'vm');
  t.is(lstatSync(vmDir).uid, w.user.uid, 'the VM is the user’s own');
});

serial('an unprivileged user is refused install, uninstall and reset of machine-wide workspaces (exit 4), and the files refuse them too', async (t) => {
  const w = await machine();
  const refusals: Array<[string[], RegExp]> = [
    [['install', '--system', '--unattended', w.tools], /^twinbox: only an administrator can install or change machine-wide workspaces in /],
    [['uninstall', '--system', 'office'], /^twinbox: only an administrator can uninstall the machine-wide workspace "office"/],
    [['uninstall', 'office'], /^twinbox: only an administrator can uninstall the machine-wide workspace "office"/],
    [['reset', 'office', '--yes'], /^twinbox: only an administrator can reset the machine-wide workspace "office"/],
    [['run', 'secret', 'greet'], /^twinbox: access to workspace "secret" is denied by policy/],
  ];
  for (const [args, message] of refusals) {
    const refused = await asUser(w, w.user, args);
    t.is(refused.exitCode, 4, `${args.join(' ')}: ${refused.stderr}`);
    t.regex(refused.stderr, message);
    t.regex(refused.stderr, /\nhint: [^\n]+\n$/, 'one line, then the fix');
  }
  t.regex((await asUser(w, w.user, ['reset', 'office', '--yes'])).stderr, new RegExp(`usermod -aG ${w.adminGroup} ${w.user.name}`));

  // Past twinbox's own check, the file system says no as well.
  const write = await runAs(w.user, process.execPath, ['-e', `require('node:fs').appendFileSync(${JSON.stringify(join(w.systemDir, 'registry.json'))}, ' ')`], {});
  t.regex(write.stderr, /EACCES/);
  const remove = await runAs(w.user, process.execPath, ['-e', `require('node:fs').rmSync(${JSON.stringify(join(w.systemDir, 'store', 'office'))}, { recursive: true })`], {});
  t.regex(remove.stderr, /EACCES/);
  t.true(existsSync(join(w.systemDir, 'store', 'office', '1.0.0', 'guest.tar')));
});

serial('a member of the admin group who is not root installs and removes a machine-wide workspace, and may use a group-reserved one', async (t) => {
  const w = await machine();
  const installed = await asUser(w, w.admin, ['install', '--system', '--unattended', w.tools]);
  t.is(installed.exitCode, 0, installed.stderr);
  const image = lstatSync(join(w.systemDir, 'store', 'tools', '1.0.0', 'guest.tar'));
  t.is(image.uid, w.admin.uid);
  t.is(image.gid, lstatSync(w.systemDir).gid, 'the setgid folder keeps it in the admin group');
  t.is(image.mode & 0o777, 0o444);
  const seen = await asUser(w, w.user, ['status', '--json']);
  t.deepEqual((JSON.parse(seen.stdout) as Array<{ name: string }>).map((s) => s.name), ['office', 'tools'], 'other users see it at once');
  const mine = await asUser(w, w.admin, ['status', '--json']);
  t.deepEqual((JSON.parse(mine.stdout) as Array<{ name: string }>).map((s) => s.name), ['office', 'secret', 'tools']);
  const removed = await asUser(w, w.admin, ['uninstall', '--system', 'tools']);
  t.is(removed.exitCode, 0, removed.stderr);
  t.false(existsSync(join(w.systemDir, 'store', 'tools')));
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return lstatSync(path).isDirectory() ? [path, ...walk(path)] : [path];
  });
}

serial('nobody else can reach a user’s guest-agent sockets, pid files or runtime folder', async (t) => {
  const w = await machine();
  const started = await asUser(w, w.user, ['start', 'office']);
  t.is(started.exitCode, 0, started.stderr);
  const runtime = join(tmpdir(), `twinbox-${w.user.uid}`);
  const entries = [runtime, ...walk(runtime)];
  const sockets = entries.filter((path) => lstatSync(path).isSocket());
  t.true(sockets.length > 0, `a running VM has a socket under ${runtime}`);
  for (const path of entries) {
    const info = lstatSync(path);
    t.is(info.uid, w.user.uid, `${path} is the user's`);
    t.is(info.mode & 0o077, 0, `${path} is ${(info.mode & 0o777).toString(8)}: nobody else may use it`);
    if (info.isDirectory()) t.is(info.mode & 0o777, 0o700);
    if (info.isSocket()) t.is(info.mode & 0o777, 0o600);
  }
  for (const socket of sockets) {
    const reach = await runAs(w.other, process.execPath, ['-e', `require('node:net').connect(${JSON.stringify(socket)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(1); })`], {});
    t.is(reach.stdout.trim(), 'EACCES', `${socket} refuses another user`);
  }
  const record = await runAs(w.other, process.execPath, ['-e', `require('node:fs').readdirSync(${JSON.stringify(join(w.env(w.user).TWINBOX_HOME!, 'data'))})`], {});
  t.regex(record.stderr, /EACCES/, 'the VM state folder is private too');

  const stopped = await asUser(w, w.user, ['stop', 'office']);
  t.is(stopped.exitCode, 0, stopped.stderr);
  t.regex(stopped.stdout, /office stopped/, 'a user stops their own VM of a machine-wide workspace');
});
