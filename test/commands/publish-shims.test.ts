import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { openCore } from '../../src/core/open-core.js';
import { syncShims } from '../../src/core/publishing/sync-shims.js';
import { readCatalog, writeCatalog } from '../../src/core/setup/app-catalog.js';
import { openWorkspace } from '../../src/core/workspace/open-workspace.js';
import { twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';

const exec = promisify(execFile);

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello $*"\nexit 3\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet %F\nX-Twinbox-Kind=command\n',
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/sh\nTerminal=true\n',
  'usr/share/applications/viewer.desktop': '[Desktop Entry]\nType=Application\nName=Viewer\nExec=/usr/bin/viewer\nCategories=Graphics;\n',
};

interface Setup {
  home: TestHome;
  env: NodeJS.ProcessEnv;
  bin: string;
  apps: string;
  shared: string;
}

async function publishedWorkspace(t: ExecutionContext): Promise<Setup> {
  const home = testHome(t);
  const host = tempDir(t, 'tbx-desk-');
  const shared = join(host, 'Documents');
  await mkdir(shared);
  await home.install({ name: 'office', files: FILES, manifest: { sharedFolders: [{ host: shared, guest: '/mnt/docs' }] } as never });
  const env = { TWINBOX_HOME: home.home, TWINBOX_BIN_DIR: join(host, 'bin'), XDG_DATA_HOME: join(host, 'share') };
  const started = await twinbox(['start', 'office'], env);
  t.is(started.exitCode, 0, started.stderr);
  return { home, env, bin: join(host, 'bin'), apps: join(host, 'share', 'applications'), shared };
}

test('publish --shims makes a command per app and menu entries for terminal and GUI apps; a shim runs the app in the guest', async (t) => {
  const { env, bin, apps, shared } = await publishedWorkspace(t);
  const published = await twinbox(['publish', '--shims'], env);
  t.is(published.exitCode, 0, published.stderr);
  t.regex(published.stdout, /host integration in sync: 5 made, 0 updated, 0 removed, 0 unchanged/);
  t.regex(published.stdout, /hint: .*bin is not on your PATH/);
  t.deepEqual(await readdir(bin), ['office-greet', 'office-shell', 'office-viewer']);
  t.deepEqual(await readdir(apps), ['twinbox-office-shell.desktop', 'twinbox-office-viewer.desktop']);
  t.is((await stat(join(bin, 'office-greet'))).mode & 0o777, 0o700);
  const viewer = await readFile(join(apps, 'twinbox-office-viewer.desktop'), 'utf8');
  t.regex(viewer, /^Name=Viewer \(office\)$/m);
  t.regex(viewer, /^Terminal=false$/m);
  t.regex(viewer, new RegExp(`^Exec="${join(bin, 'office-viewer')}" %F$`, 'm'));
  t.regex(await readFile(join(apps, 'twinbox-office-shell.desktop'), 'utf8'), /^Terminal=true$/m);

  // Run for real, from a folder with none of the test's environment: TWINBOX_HOME is in the shim.
  await writeFile(join(shared, 'memo.txt'), 'x');
  const run = await exec(join(bin, 'office-greet'), ['from', 'memo.txt', join(shared, 'memo.txt'), '/etc/hosts'], { cwd: shared, env: { PATH: process.env.PATH } }).catch((error: { code: number; stdout: string }) => error);
  t.is((run as { code?: number }).code, 3);
  t.is(run.stdout, 'hello from /mnt/docs/memo.txt /mnt/docs/memo.txt /etc/hosts\n');

  const again = await twinbox(['publish', '--shims', '--json'], env);
  const result = JSON.parse(again.stdout) as { created: string[]; unchanged: string[] };
  t.deepEqual(result.created, []);
  t.is(result.unchanged.length, 5);
});

test('shims follow the catalog: a renamed app is rewritten, a removed one goes, a new one comes', async (t) => {
  const { env, bin, apps } = await publishedWorkspace(t);
  t.is((await twinbox(['publish', '--shims'], env)).exitCode, 0);
  const core = openCore({ env: { ...process.env, ...env } });
  const layout = openWorkspace(core, 'office').layout;
  const catalog = (await readCatalog(layout))!;
  // What the host agent's refresh writes after the guest renamed Viewer, dropped Shell and got Paint.
  catalog.apps = catalog.apps
    .filter((app) => app.id !== 'shell')
    .map((app) => (app.id === 'viewer' ? { ...app, name: 'Image Viewer' } : app))
    .concat([{ id: 'paint', name: 'Paint', kind: 'gui', command: ['/usr/bin/paint'], source: '/usr/share/applications/paint.desktop', origin: 'discovered' }]);
  await writeCatalog(layout, catalog);

  const synced = (await syncShims(core))!;
  t.deepEqual(synced.created.map((path) => path.slice(path.lastIndexOf('/') + 1)).sort(), ['office-paint', 'twinbox-office-paint.desktop']);
  t.deepEqual(synced.updated.map((path) => path.slice(path.lastIndexOf('/') + 1)), ['twinbox-office-viewer.desktop']);
  t.deepEqual(synced.removed.map((path) => path.slice(path.lastIndexOf('/') + 1)).sort(), ['office-shell', 'twinbox-office-shell.desktop']);
  t.regex(await readFile(join(apps, 'twinbox-office-viewer.desktop'), 'utf8'), /^Name=Image Viewer \(office\)$/m);
  t.false(existsSync(join(bin, 'office-shell')));

  // Publishing switched off (MED-V AppPublishingEnabled): the host copies go too.
  t.is((await twinbox(['config', 'set', 'publishing.enabled', 'false'], env)).exitCode, 0);
  const off = JSON.parse((await twinbox(['publish', '--shims', '--json'], env)).stdout) as { removed: string[] };
  t.is(off.removed.length, 5);
  t.deepEqual(await readdir(bin), []);
});

test('a catalog refresh after the guest changed carries the shims along with no publish run', async (t) => {
  const { home, env, bin, apps } = await publishedWorkspace(t);
  t.is((await twinbox(['publish', '--shims'], env)).exitCode, 0);
  const guestApps = join(home.guestRoot('office'), 'usr', 'share', 'applications');
  await rm(join(guestApps, 'shell.desktop'));
  const refreshed = await twinbox(['apps', 'office', '--refresh'], env);
  t.is(refreshed.exitCode, 0, refreshed.stderr);
  t.deepEqual(await readdir(bin), ['office-greet', 'office-viewer']);
  t.deepEqual(await readdir(apps), ['twinbox-office-viewer.desktop']);
});

test('twinbox only removes its own, unchanged files: a file in the way and an edited shim stay', async (t) => {
  const { env, bin } = await publishedWorkspace(t);
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'office-viewer'), '#!/bin/sh\necho mine\n');
  const published = JSON.parse((await twinbox(['publish', '--shims', '--json'], env)).stdout) as { skipped: Array<{ path: string; reason: string }> };
  t.deepEqual(published.skipped, [{ path: join(bin, 'office-viewer'), reason: 'a file twinbox did not make is in the way' }]);
  t.is(await readFile(join(bin, 'office-viewer'), 'utf8'), '#!/bin/sh\necho mine\n');

  await writeFile(join(bin, 'office-greet'), `${await readFile(join(bin, 'office-greet'), 'utf8')}# my note\n`);
  const removed = await twinbox(['publish', '--shims', '--remove'], env);
  t.is(removed.exitCode, 0, removed.stderr);
  t.regex(removed.stdout, /host integration removed: 3 file\(s\)\n[\s\S]*skipped  .*office-greet: changed since twinbox wrote it: left in place/);
  t.deepEqual(await readdir(bin), ['office-greet', 'office-viewer']);
  const nothing = await twinbox(['publish', '--shims', '--remove'], env);
  t.regex(nothing.stdout, /no shims to remove/);
});

test('uninstall removes the workspace\'s shims and menu entries', async (t) => {
  const { env, bin, apps } = await publishedWorkspace(t);
  t.is((await twinbox(['publish', '--shims'], env)).exitCode, 0);
  const removed = await twinbox(['uninstall', 'office'], env);
  t.is(removed.exitCode, 0, removed.stderr);
  t.regex(removed.stdout, /removed .*office-greet/);
  t.deepEqual(await readdir(bin), []);
  t.deepEqual(await readdir(apps), []);
});

test('publish refuses bad arguments', async (t) => {
  const home = testHome(t);
  const env = { TWINBOX_HOME: home.home };
  const bare = await twinbox(['publish'], env);
  t.is(bare.exitCode, 2);
  t.regex(bare.stderr, /say what to publish: twinbox publish --shims/);
  const mixed = await twinbox(['publish', '--shims', '--remove', '--bin-dir', '/tmp/x'], env);
  t.is(mixed.exitCode, 2);
  t.is((await twinbox(['publish', '--shims', 'office'], env)).exitCode, 2);
});
