import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import test from 'ava';
import type { VmDisplay } from 'twinbox/plugin-api';
import { runApp } from '../../../src/core/apps/run-app.js';
import { openCore } from '../../../src/core/open-core.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/viewer': '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$TWINBOX_GUEST_ROOT/var/log/viewer-args"\n',
  'usr/share/applications/viewer.desktop': '[Desktop Entry]\nType=Application\nName=Viewer\nExec=/usr/bin/viewer\n',
  'var/log/.keep': '',
};

const io = () => ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() });

test('a GUI app is launched in the guest and left running when the hypervisor offers a screen, which the result names', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES });
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  const screen: VmDisplay = { protocol: 'vnc', address: '/run/screen.sock', viewer: 'remote-viewer vnc+unix:///run/screen.sock' };
  // The fake has no screen; this one stands in for a plugin that has (QEMU's is tested against real QEMU).
  Object.assign(await core.plugins.hypervisor('fake'), { display: async () => screen });

  const result = await runApp(core, 'office', 'viewer', io(), { args: ['photo.png'] });
  t.is(result.kind, 'gui');
  t.deepEqual(result.launched, { via: 'screen', pid: result.launched!.pid, display: screen });
  t.true(result.launched!.pid > 0);
  const trace = join(home.guestRoot('office'), 'var/log/viewer-args');
  // The app runs on in the guest: its shell creates the file before it writes the line.
  const written = async () => (existsSync(trace) ? await readFile(trace, 'utf8') : '');
  for (let tries = 0; tries < 600 && !(await written()).endsWith('\n'); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(await written(), 'photo.png\n');
});

test('without a display in this session a GUI app is refused before the workspace is started', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES });
  const env = { ...home.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  // Set up once with a display, so the catalog knows the app is graphical; then stop.
  const withDisplay = openCore({ env: { ...env, DISPLAY: ':0' } });
  await t.throwsAsync(runApp(withDisplay, 'office', 'viewer', io()), { message: /has no screen twinbox can show/ });
  const vm = home.registry().get('office').vm!;
  await home.fake().stop(vm, { force: true });
  const error = await t.throwsAsync(runApp(openCore({ env }), 'office', 'viewer', io()));
  t.regex(error!.message, /this session has no display/);
  t.is((await home.fake().state(vm)).state, 'stopped', 'the workspace was not started for nothing');
});
