import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { appsFromDesktopFiles, LINUX_APPS_SCRIPT, splitDesktopListing } from '../../../plugins/qga/index.js';

const run = promisify(execFile);

test('the listing script prints every desktop file under TWINBOX_GUEST_ROOT with its guest path', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'qga-apps-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'usr/share/applications'), { recursive: true });
  await mkdir(join(root, 'usr/local/share/applications'), { recursive: true });
  await writeFile(join(root, 'usr/share/applications/top.desktop'), '[Desktop Entry]\nType=Application\nName=top\nExec=top\nTerminal=true');
  await writeFile(join(root, 'usr/share/applications/readme.txt'), 'not an entry');
  await writeFile(join(root, 'usr/local/share/applications/my editor.desktop'), '[Desktop Entry]\nType=Application\nName=Editor\nExec=ed\n');
  const { stdout } = await run('/bin/sh', ['-c', LINUX_APPS_SCRIPT], { env: { ...process.env, TWINBOX_GUEST_ROOT: root } });
  const files = splitDesktopListing(stdout);
  t.deepEqual(
    files.map((file) => file.path),
    ['/usr/local/share/applications/my editor.desktop', '/usr/share/applications/top.desktop'],
  );
  t.deepEqual(
    appsFromDesktopFiles(files).map((app) => [app.id, app.kind, app.source]),
    [
      ['my editor', 'gui', '/usr/local/share/applications/my editor.desktop'],
      ['top', 'terminal', '/usr/share/applications/top.desktop'],
    ],
  );
});

test('the script names the standard folders relative to TWINBOX_GUEST_ROOT', (t) => {
  for (const dir of ['/usr/share/applications', '/usr/local/share/applications', '/var/lib/flatpak/exports/share/applications']) {
    t.true(LINUX_APPS_SCRIPT.includes(`"\${TWINBOX_GUEST_ROOT:-}${dir}"`), dir);
  }
});

test('an id found in an earlier folder shadows later ones, even when hidden', (t) => {
  const app = (name: string, extra = ''): string => `[Desktop Entry]\nType=Application\nName=${name}\nExec=${name}\n${extra}`;
  const apps = appsFromDesktopFiles([
    { path: '/usr/local/share/applications/a.desktop', text: app('local-a') },
    { path: '/usr/local/share/applications/b.desktop', text: app('b', 'Hidden=true') },
    { path: '/usr/share/applications/a.desktop', text: app('system-a') },
    { path: '/usr/share/applications/b.desktop', text: app('system-b') },
    { path: '/usr/share/applications/c.desktop', text: app('c') },
  ]);
  t.deepEqual(
    apps.map((entry) => entry.name),
    ['c', 'local-a'],
  );
});

test('a truncated listing drops its incomplete last file', (t) => {
  const output = '@@twinbox-desktop-file@@ /a.desktop\n[Desktop Entry]\nName=a\n@@twinbox-desktop-file@@ /b.desktop\n[Desktop En';
  t.deepEqual(
    splitDesktopListing(output).map((file) => file.path),
    ['/a.desktop', '/b.desktop'],
  );
  t.deepEqual(
    splitDesktopListing(output, true).map((file) => file.path),
    ['/a.desktop'],
  );
});
