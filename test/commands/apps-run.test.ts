import test from 'ava';
import { startWorkspace } from '../../src/core/workspace/start-workspace.js';
import { stopWorkspace } from '../../src/core/workspace/stop-workspace.js';
import { twinbox } from '../helpers/cli.js';
import { narrowPath } from '../helpers/narrow-path.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello $*"\necho "to stderr" >&2\nexit 3\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet %U\nX-Twinbox-Kind=command\n',
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/sh\nTerminal=true\n',
  'usr/share/applications/viewer.desktop': '[Desktop Entry]\nType=Application\nName=Viewer\nExec=/usr/bin/viewer\n',
};

test('run starts a workspace on demand, runs a command app in the guest and returns its exit code', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { hypervisors: { allowed: ['fake'], preferred: ['fake'] } } });
  const before = await twinbox(['apps', 'office'], { TWINBOX_HOME: home.home });
  t.is(before.exitCode, 0, before.stderr);
  t.regex(before.stdout, /publishes no apps yet/);

  const run = await twinbox(['run', 'office', 'greet', '--', 'from', 'the host'], { TWINBOX_HOME: home.home });
  t.is(run.exitCode, 3, run.stderr);
  t.is(run.stdout, 'hello from the host\n');
  t.regex(run.stderr, /running first-time setup[\s\S]*to stderr/);

  const apps = await twinbox(['apps', 'office', '--json'], { TWINBOX_HOME: home.home });
  const listed = JSON.parse(apps.stdout) as Array<{ id: string; name: string; kind: string; source: string }>;
  t.deepEqual(listed.map((app) => `${app.id}:${app.kind}:${app.source}`), ['greet:command:discovered', 'shell:terminal:discovered', 'viewer:gui:discovered']);

  // By name too, ignoring case; the workspace is already running.
  const byName = await twinbox(['run', '--quiet', 'office', 'greeter'], { TWINBOX_HOME: home.home });
  t.is(byName.stdout, 'hello \n');
  t.is(byName.stderr, 'to stderr\n');
});

test('run explains what is wrong with an unknown app and a GUI app', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { hypervisors: { allowed: ['fake'], preferred: ['fake'] } } });
  const unknown = await twinbox(['run', 'office', 'nope'], { TWINBOX_HOME: home.home });
  t.is(unknown.exitCode, 2);
  t.regex(unknown.stderr, /workspace "office" publishes no app "nope"\nhint: published apps: greet, shell, viewer/);

  const overSsh = await twinbox(['run', '--quiet', 'office', 'viewer'], { TWINBOX_HOME: home.home, DISPLAY: '', WAYLAND_DISPLAY: '' });
  t.is(overSsh.exitCode, 1);
  t.regex(overSsh.stderr, /"Viewer" is a graphical app, and this session has no display \(neither DISPLAY nor WAYLAND_DISPLAY is set, as over SSH\)\nhint: run it from a desktop session, or connect with `ssh -X`/);
  const noScreen = await twinbox(['run', '--quiet', 'office', 'viewer'], { TWINBOX_HOME: home.home, DISPLAY: ':0' });
  t.is(noScreen.exitCode, 1);
  t.regex(noScreen.stderr, /"Viewer" is a graphical app, and the fake \(simulated\) VM of "office" has no screen twinbox can show\nhint: ask for a package with vm.display "console"/);

  const usage = await twinbox(['run', 'office'], { TWINBOX_HOME: home.home });
  t.is(usage.exitCode, 2);
  const missing = await twinbox(['apps', 'absent'], { TWINBOX_HOME: home.home });
  t.is(missing.exitCode, 2);
  t.regex(missing.stderr, /no workspace named "absent" is installed/);
});

test('run of a terminal app without a terminal feeds the guest shell on its console from standard input and returns its exit code', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { hypervisors: { allowed: ['fake'], preferred: ['fake'] } } });
  const run = await twinbox(['run', '--quiet', 'office', 'shell'], { TWINBOX_HOME: home.home }, 'echo "sum $((2 + 3))"; exit 4\n');
  t.is(run.exitCode, 4, run.stderr);
  // The guest's terminal echoes the line as it arrives, then the shell answers it. The shell's
  // prompt comes before the echo when the shell is up before the line arrives, after it otherwise.
  t.regex(run.stdout, /^(?:[#$] )?echo "sum \$\(\(2 \+ 3\)\)"; exit 4\r\n(?:[#$] )?sum 5\r\n/);
});

test('a terminal app whose input is at its end reads end of file; one that goes on regardless is hung up instead of waiting for keys that cannot come', async (t) => {
  const home = testHome(t);
  const stubborn = { 'usr/share/applications/stubborn.desktop': '[Desktop Entry]\nType=Application\nName=Stubborn\nExec=/bin/sleep 600\nTerminal=true\n' };
  await home.install({ name: 'office', files: { ...FILES, ...stubborn }, manifest: { hypervisors: { allowed: ['fake'], preferred: ['fake'] } } });
  const shell = await twinbox(['run', '--quiet', 'office', 'shell'], { TWINBOX_HOME: home.home }, '');
  t.is(shell.exitCode, 0, shell.stderr);
  t.is(shell.stderr, '');

  const sleeper = await twinbox(['run', '--quiet', 'office', 'stubborn'], { TWINBOX_HOME: home.home }, '');
  t.is(sleeper.exitCode, 1, sleeper.stderr);
  t.regex(sleeper.stderr, /twinbox: standard input ended and the app went on 5 s after end of file; it was hung up\n$/);
  const guestPrograms = await home.leftoverProcesses();
  t.false(guestPrograms.some((line) => /sleep 600/.test(line)), guestPrograms.join('\n'));
});

test('run of a terminal app on a VM without console ports says why, with the hint (a machine without socat)', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { hypervisors: { allowed: ['fake'], preferred: ['fake'] } } });
  await startWorkspace(home.core(), 'office');
  await stopWorkspace(home.core(), 'office', { timeoutMs: 10_000 });
  // The VM boots again from this run, whose PATH has no socat.
  const terminal = await twinbox(['run', '--quiet', 'office', 'shell'], { TWINBOX_HOME: home.home, PATH: narrowPath(t, ['sh']) });
  t.is(terminal.exitCode, 1);
  t.regex(
    terminal.stderr,
    /the fake \(simulated\) VM of "office" offers no console port for terminal apps \(VM [a-z0-9-]+ has no console ports \(socat is not installed on this machine\)\)\nhint: run terminal apps on a hypervisor with console ports \(QEMU, or the fake one with socat installed\)/,
  );
});
