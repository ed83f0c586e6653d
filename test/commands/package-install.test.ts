import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { openCore } from '../../src/core/open-core.js';
import { workspaceLayout } from '../../src/core/workspace/layout.js';
import { acquireLock } from '../../src/core/workspace/lock.js';
import { resolvePaths } from '../../src/core/paths.js';
import type { WorkspaceEntry } from '../../src/core/workspace/registry.js';
import { errorLines, events, newHome, writePackage, writeSettings } from '../core/package/helpers/cli-home.js';
import { setUpOnFake } from '../core/package/helpers/fake-vm.js';
import { installState } from '../core/package/helpers/state-snapshot.js';

const EXAMPLE = new URL('../../../examples/hello/', import.meta.url);

function registry(home: string): Record<string, WorkspaceEntry> {
  return (JSON.parse(readFileSync(join(home, 'data', 'registry.json'), 'utf8')) as { workspaces: Record<string, WorkspaceEntry> }).workspaces;
}

test('the hello example packs, installs with setup pending and uninstalls without a trace', async (t) => {
  const home = newHome(t);
  const folder = join(home.dir, 'hello');
  cpSync(EXAMPLE, folder, { recursive: true });
  execFileSync(join(folder, 'build-image.sh'), { stdio: 'pipe' });
  const listing = execFileSync('tar', ['-tf', join(folder, 'hello-guest.img')], { encoding: 'utf8' });
  t.regex(listing, /usr\/share\/applications\/hello\.desktop/);

  const packed = await home.run(['pack', folder, '--out', join(home.dir, 'hello.twbx')]);
  t.is(packed.exitCode, 0, packed.stderr);
  t.regex(packed.stdout, /^packed hello 1\.0\.0 into .*hello\.twbx \(.* KiB, uncompressed, unsigned\)\nsha256 [0-9a-f]{64}\n$/);
  const members = execFileSync('tar', ['-tf', join(home.dir, 'hello.twbx')], { encoding: 'utf8' }).trim().split('\n');
  t.deepEqual(members, ['workspace.json', 'SHA256SUMS', 'hello-guest.img', 'setup/welcome.sh']);

  const installed = await home.run(['install', join(home.dir, 'hello.twbx'), '--unattended']);
  t.is(installed.exitCode, 0, installed.stderr);
  t.regex(installed.stdout, /^installed hello 1\.0\.0\n/);
  t.regex(installed.stderr, /^unpacking hello-guest\.img: 100%$/m);
  const storeDir = join(home.home, 'data', 'store', 'hello', '1.0.0');
  t.deepEqual(readdirSync(storeDir).sort(), ['SHA256SUMS', 'hello-guest.img', 'setup', 'workspace.json']);
  t.is(statSync(join(storeDir, 'hello-guest.img')).mode & 0o777, 0o444);
  for (const folder of [join(home.home, 'data', 'store'), join(home.home, 'data', 'store', 'hello')]) {
    t.is(statSync(folder).mode & 0o777, 0o700, `${folder} is readable by its owner only`);
  }
  t.like(registry(home.home).hello, { version: '1.0.0', storeDir, imagePath: join(storeDir, 'hello-guest.img'), setup: { state: 'pending' } });
  t.true(readdirSync(join(home.home, 'data', 'store')).every((name) => !name.startsWith('.')), 'no staging folder is left');
  t.true(events(join(home.home, 'data', 'events.jsonl')).some((event) => event.code === 7000));
  t.true(events(join(home.home, 'data', 'workspaces', 'hello', 'events.jsonl')).some((event) => event.code === 7000));
  // The store holds what sha256sum can check on its own.
  execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: storeDir });

  const removed = await home.run(['uninstall', 'hello']);
  t.is(removed.exitCode, 0, removed.stderr);
  t.false(existsSync(join(home.home, 'data', 'store', 'hello')));
  t.false(existsSync(join(home.home, 'data', 'workspaces', 'hello')));
  t.deepEqual(registry(home.home), {});
  t.true(events(join(home.home, 'data', 'events.jsonl')).some((event) => event.code === 7002));
});

test('the installed hello example runs on the fake hypervisor and publishes its command and terminal apps', async (t) => {
  const home = newHome(t);
  const folder = join(home.dir, 'hello');
  cpSync(EXAMPLE, folder, { recursive: true });
  execFileSync(join(folder, 'build-image.sh'), { stdio: 'pipe' });
  t.is((await home.run(['pack', folder, '--out', join(home.dir, 'hello.twbx')])).exitCode, 0);
  t.is((await home.run(['install', join(home.dir, 'hello.twbx'), '--unattended'])).exitCode, 0);
  const { fake, vm } = await setUpOnFake(home.home, 'hello');
  t.teardown(() => fake.remove(vm));
  await fake.start(vm, { timeoutMs: 30_000 });
  const agent = await openCore({ env: home.env }).plugins.guestAgent('qga');
  const session = await agent.connect(await fake.openChannel(vm, agent.channelName), { timeoutMs: 30_000 });
  try {
    const apps = await session.listApps();
    t.like(apps.find((app) => app.id === 'hello'), { name: 'Hello', kind: 'command' });
    t.like(apps.find((app) => app.id === 'shell'), { name: 'Guest shell', kind: 'terminal' });
    const run = await session.exec({ path: '/usr/bin/hello', args: ['from', 'a', 'test'], timeoutMs: 20_000 });
    t.regex(Buffer.from(run.stdout).toString(), /^Hello from .*, a guest of twinbox\.\narguments: from a test\n$/);
  } finally {
    await session.close();
  }
});

test('installing the same version twice is refused with exit 2, and --overwrite installs it again', async (t) => {
  const home = newHome(t);
  const file = writePackage(home);
  t.is((await home.run(['install', file])).exitCode, 0);
  const before = installState(home.home);
  const again = await home.run(['install', file]);
  t.is(again.exitCode, 2);
  t.deepEqual(errorLines(again.stderr), [
    'twinbox: hello 1.0.0 is already installed',
    'hint: pass --overwrite to install it again (its VM is removed: data written inside the guest is lost)',
  ]);
  t.deepEqual(installState(home.home), before);
  const overwritten = await home.run(['install', file, '--overwrite', '--json']);
  t.is(overwritten.exitCode, 0, overwritten.stderr);
  t.like(JSON.parse(overwritten.stdout), { name: 'hello', version: '1.0.0', kind: 'overwrite', previousVersion: '1.0.0' });
  t.true(readdirSync(join(home.home, 'data', 'store')).every((name) => !name.startsWith('.')), 'no trash folder is left');
});

test('--overwrite of a set-up version warns that guest data is lost and removes its VM through the plugin', async (t) => {
  const home = newHome(t);
  const file = writePackage(home);
  t.is((await home.run(['install', file])).exitCode, 0);
  const { fake, vm } = await setUpOnFake(home.home, 'hello');
  const result = await home.run(['install', file, '--overwrite', '--unattended']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stderr, /^warning: --overwrite removes the VM of hello 1\.0\.0 now: files written inside the guest since its setup \(the overlay disk in .*workspaces\/hello\/vm\) are lost/m);
  t.is((await fake.state(vm)).state, 'not-created');
  const entry = registry(home.home).hello!;
  t.is(entry.vm, undefined);
  t.is(entry.setup.state, 'pending');
});

test('a newer version is an upgrade: installed beside the old one, recorded as replacing it, with a warning naming the guest data', async (t) => {
  const home = newHome(t);
  t.is((await home.run(['install', writePackage(home, { version: '1.0.0' }, 'v1.twbx')])).exitCode, 0);
  await setUpOnFake(home.home, 'hello');
  const result = await home.run(['install', writePackage(home, { version: '1.1.0' }, 'v2.twbx'), '--unattended']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(
    result.stderr,
    /^warning: upgrading hello from 1\.0\.0 to 1\.1\.0: once hello 1\.1\.0 has set up, its new VM replaces the VM of 1\.0\.0: files written inside the guest since its setup \(the overlay disk in .*\/workspaces\/hello\/vm\) will be lost — copy out what you need first$/m,
  );
  t.regex(result.stdout, /^upgraded hello from 1\.0\.0 to 1\.1\.0\n(.*\n)*  replacing:  1\.0\.0 stays in use until 1\.1\.0 has set up\n/);
  const store = join(home.home, 'data', 'store', 'hello');
  t.deepEqual(readdirSync(store).sort(), ['1.0.0', '1.1.0']);
  const entry = registry(home.home).hello!;
  t.like(entry, { version: '1.1.0', replacing: { version: '1.0.0', storeDir: join(store, '1.0.0') }, hypervisor: 'fake', vm: { id: 'hello' }, setup: { state: 'pending' } });
  t.true(events(join(home.home, 'data', 'workspaces', 'hello', 'events.jsonl')).some((event) => event.code === 7001));
});

test('an older version than the installed one is refused with exit 2 and changes nothing', async (t) => {
  const home = newHome(t);
  t.is((await home.run(['install', writePackage(home, { version: '2.0.0' }, 'v2.twbx')])).exitCode, 0);
  const before = installState(home.home);
  const result = await home.run(['install', writePackage(home, { version: '1.9.0' }, 'v1.twbx')]);
  t.is(result.exitCode, 2);
  t.deepEqual(errorLines(result.stderr), [
    'twinbox: hello 1.9.0 is older than the installed 2.0.0; downgrades are refused',
    'hint: uninstall first (twinbox uninstall hello), then install the older version',
  ]);
  t.deepEqual(installState(home.home), before);
});

test('uninstall removes the VM through its hypervisor plugin, both versions of an upgrade, the workspace folder and the entry', async (t) => {
  const home = newHome(t);
  t.is((await home.run(['install', writePackage(home, { version: '1.0.0' }, 'v1.twbx')])).exitCode, 0);
  const { fake, vm } = await setUpOnFake(home.home, 'hello');
  t.is((await home.run(['install', writePackage(home, { version: '1.1.0' }, 'v2.twbx')])).exitCode, 0);
  const result = await home.run(['uninstall', 'hello', '--json']);
  t.is(result.exitCode, 0, result.stderr);
  const output = JSON.parse(result.stdout) as { removedVm: unknown; removedStoreDirs: string[] };
  t.deepEqual(output.removedVm, { hypervisor: 'fake', id: 'hello' });
  t.is(output.removedStoreDirs.length, 2);
  t.is((await fake.state(vm)).state, 'not-created');
  t.false(existsSync(join(home.home, 'data', 'store', 'hello')));
  t.false(existsSync(join(home.home, 'data', 'workspaces', 'hello')));
  t.deepEqual(registry(home.home), {});
});

test('uninstall --keep-user-data keeps the workspace folder', async (t) => {
  const home = newHome(t);
  t.is((await home.run(['install', writePackage(home)])).exitCode, 0);
  const result = await home.run(['uninstall', 'hello', '--keep-user-data']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /kept .*workspaces\/hello/);
  t.true(existsSync(join(home.home, 'data', 'workspaces', 'hello', 'events.jsonl')));
  t.false(existsSync(join(home.home, 'data', 'workspaces', 'hello', 'lock')));
  t.false(existsSync(join(home.home, 'data', 'store', 'hello')));
  t.deepEqual(registry(home.home), {});
});

test('uninstall of a workspace that is not installed is exit 2', async (t) => {
  const home = newHome(t);
  const result = await home.run(['uninstall', 'nothing-here']);
  t.is(result.exitCode, 2);
  t.is(errorLines(result.stderr)[0], 'twinbox: no workspace named "nothing-here" is installed');
});

test('install and uninstall are refused with exit 75 while another process holds the workspace lock', async (t) => {
  const home = newHome(t);
  t.is((await home.run(['install', writePackage(home, { version: '1.0.0' }, 'v1.twbx')])).exitCode, 0);
  const lock = acquireLock(workspaceLayout(resolvePaths(home.env), 'hello', '1.0.0').lockFile, 'hello', 'setup');
  t.teardown(() => lock.release());
  const before = installState(home.home);
  const install = await home.run(['install', writePackage(home, { version: '1.1.0' }, 'v2.twbx')]);
  t.is(install.exitCode, 75);
  t.regex(errorLines(install.stderr)[0]!, new RegExp(`^twinbox: workspace "hello" is busy: setup by process ${process.pid} since `));
  const uninstall = await home.run(['uninstall', 'hello']);
  t.is(uninstall.exitCode, 75);
  t.deepEqual(installState(home.home), before);
});

test('a package signed by a trusted key installs where signatures are required', async (t) => {
  const home = newHome(t);
  const key = join(home.dir, 'publisher.key');
  t.is((await home.run(['keygen', '--out', key])).exitCode, 0);
  writeSettings(home.home, { 'security.requireSignature': true, 'security.trustedKeys': [`${key}.pub`] });
  const folder = join(home.dir, 'ws');
  const { writeWorkspaceFolder } = await import('../core/package/helpers/workspace-folder.js');
  writeWorkspaceFolder(folder, { scripts: { 'setup/first.sh': 'echo first\n' } });
  const packed = await home.run(['pack', folder, '--out', join(home.dir, 'signed.twbx'), '--sign', key, '--gzip', '--json']);
  t.is(packed.exitCode, 0, packed.stderr);
  const pack = JSON.parse(packed.stdout) as { signed: boolean; keyFingerprint: string; compression: string };
  t.like(pack, { signed: true, compression: 'gzip' });
  t.deepEqual([...readFileSync(join(home.dir, 'signed.twbx')).subarray(0, 2)], [0x1f, 0x8b]);
  const installed = await home.run(['install', join(home.dir, 'signed.twbx'), '--unattended']);
  t.is(installed.exitCode, 0, installed.stderr);
  t.regex(installed.stdout, new RegExp(`signature:  verified \\(key ${pack.keyFingerprint.replace(/[+/]/g, '\\$&')}\\)`));
  t.true(existsSync(join(home.home, 'data', 'store', 'hello', '1.0.0', 'SIGNATURE')));
});
