import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { verifyFakeGuestPassword } from '../../plugins/fake/index.js';
import { twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { freeRdpStandIn } from '../core/apps/helpers/freerdp-stand-in.js';
import { narrowPath, pathWithout } from '../helpers/narrow-path.js';
import { FREERDP_PROGRAMS } from '../../src/core/apps/freerdp-client.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/share/applications/viewer.desktop': '[Desktop Entry]\nType=Application\nName=Viewer\nExec=/usr/bin/viewer\n',
};

function killAfter(t: ExecutionContext, pid: number): void {
  t.teardown(() => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  });
}

test('twinbox run opens a GUI app through RDP RemoteApp and returns while FreeRDP keeps the window open', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { rdp: { port: 3389, user: 'twinbox', remoteApp: true } } });
  const env = { TWINBOX_HOME: home.home, DISPLAY: ':0', PATH: `${freerdp.binDir}:${process.env.PATH}` };

  const run = await twinbox(['run', '--quiet', 'office', 'viewer', '--', 'notes.txt'], env);
  t.is(run.exitCode, 0, run.stderr);
  const said = /^twinbox: opened as a window on your desktop through RDP RemoteApp \(FreeRDP 3\.5\.1, xfreerdp3 pid (\d+)\); closing the window closes the app\n$/.exec(run.stderr);
  if (!said) return t.fail(run.stderr);
  const pid = Number(said[1]);
  killAfter(t, pid);
  t.notThrows(() => process.kill(pid, 0), 'FreeRDP outlives twinbox run');
  t.true((await freerdp.argv()).includes('/app:program:/usr/bin/viewer,name:Viewer,cmd:notes.txt'));
  const password = await freerdp.stdin();
  t.true(await verifyFakeGuestPassword(home.registry().get('office').vm!, 'twinbox', password), 'the guest account has the password FreeRDP got on stdin');
  t.false(run.stderr.includes(password));
});

test('twinbox open --json tells a file opened through RemoteApp, its path handed over as the RDP drive the guest sees', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  const home = testHome(t);
  const docs = tempDir(t, 'tbx-docs-');
  await writeFile(join(docs, 'report.txt'), 'numbers\n');
  await home.install({
    name: 'office',
    files: FILES,
    manifest: { rdp: { port: 3389, user: 'twinbox', remoteApp: true }, sharedFolders: [{ host: docs, guest: '\\\\tsclient\\docs' }], redirection: { urls: [], fileTypes: { txt: 'viewer' } } },
  });
  const env = { TWINBOX_HOME: home.home, DISPLAY: ':0', PATH: `${freerdp.binDir}:${process.env.PATH}` };

  const opened = await twinbox(['open', '--json', join(docs, 'report.txt')], env);
  t.is(opened.exitCode, 0, opened.stderr);
  const output = JSON.parse(opened.stdout) as { guestPath: string; window: { via: string; pid: number; client: unknown; address: string; log: string }; display?: unknown };
  killAfter(t, output.window.pid);
  t.is(output.guestPath, '\\\\tsclient\\docs\\report.txt');
  t.like(output.window, { via: 'remoteapp', client: { program: 'xfreerdp3', version: '3.5.1' }, address: '127.0.0.1:3389' });
  t.is(output.window.log, join(home.workspaceDir('office'), 'logs', 'remoteapp-viewer.log'));
  t.is(output.display, undefined);
  const argv = await freerdp.argv();
  t.true(argv.includes(`/drive:docs,${docs}`));
  t.is(argv.at(-1), '/app:program:/usr/bin/viewer,name:Viewer,cmd:\\\\tsclient\\docs\\report.txt');
  t.false(opened.stdout.includes(await freerdp.stdin()), 'the password is not in the JSON');
});

test('twinbox run names what RemoteApp lacks, and publishing.remoteApp set by the user says how to turn it back on', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { rdp: { port: 3389, user: 'twinbox', remoteApp: true } } });
  // No FreeRDP on this PATH, whatever the machine has installed (CI installs freerdp2-x11, and a
  // display another test started may make it answer).
  const env = { TWINBOX_HOME: home.home, DISPLAY: ':0', PATH: pathWithout(t, FREERDP_PROGRAMS, '/usr/bin:/bin') };

  const noFreeRdp = await twinbox(['run', '--quiet', 'office', 'viewer'], env);
  t.is(noFreeRdp.exitCode, 1, noFreeRdp.stderr);
  t.is(
    noFreeRdp.stderr,
    'twinbox: "Viewer" is a graphical app: it cannot open through RDP RemoteApp (FreeRDP is not installed on this host (looked for xfreerdp3, xfreerdp, sdl-freerdp3, sdl-freerdp, wlfreerdp3, wlfreerdp on PATH)), and the fake (simulated) VM of "office" has no screen twinbox can show\nhint: install FreeRDP: apt-get install freerdp3-x11 (Debian 13, Ubuntu 24.04) or freerdp2-x11 (older releases), dnf install freerdp (Fedora)\n',
  );

  t.is((await twinbox(['config', 'set', 'publishing.remoteApp', 'false'], env)).exitCode, 0);
  const off = await twinbox(['run', '--quiet', 'office', 'viewer'], env);
  t.is(off.exitCode, 1);
  t.regex(off.stderr, /cannot open through RDP RemoteApp \(RDP RemoteApp is turned off \(publishing.remoteApp, set by user\)\)[^\n]*\nhint: turn it on with `twinbox config set publishing.remoteApp true`\n$/);

  const overSsh = await twinbox(['run', '--quiet', 'office', 'viewer'], { ...env, DISPLAY: '', WAYLAND_DISPLAY: '' });
  t.is(overSsh.exitCode, 1);
  t.regex(overSsh.stderr, /"Viewer" is a graphical app, and this session has no display/);
});

test('twinbox doctor shows the FreeRDP it found and its version, or how to install it', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  const home = testHome(t);
  const found = await twinbox(['doctor', '--json'], { TWINBOX_HOME: home.home, PATH: `${freerdp.binDir}:/usr/bin:/bin` });
  const checks = (JSON.parse(found.stdout) as { checks: Array<{ check: string; status: string; detail: string; fix?: string }> }).checks;
  const check = checks.find((entry) => entry.check === 'freerdp');
  t.is(check?.status, 'ok');
  t.is(check?.detail, `${freerdp.binDir}/xfreerdp3 (FreeRDP 3.5.1): GUI apps open through RDP RemoteApp where the guest offers it`);

  // A PATH with no FreeRDP at all (this machine's /usr/bin may well have one: CI installs freerdp2-x11).
  const missing = await twinbox(['doctor'], { TWINBOX_HOME: home.home, PATH: narrowPath(t, []) });
  t.regex(missing.stdout, /WARNING +freerdp +xfreerdp3 \/ xfreerdp \/ sdl-freerdp3 \/ sdl-freerdp \/ wlfreerdp3 \/ wlfreerdp not found on PATH/);
  t.regex(missing.stdout, /fix freerdp: install FreeRDP: apt-get install freerdp3-x11/);
});
