import test from 'ava';
import { twinbox } from '../helpers/cli.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { freeRdpStandIn } from '../core/apps/helpers/freerdp-stand-in.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/share/applications/viewer.desktop': '[Desktop Entry]\nType=Application\nName=Viewer\nExec=/usr/bin/viewer\n',
};

test('twinbox run names what RemoteApp lacks, and publishing.remoteApp set by the user says how to turn it back on', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { rdp: { port: 3389, user: 'twinbox', remoteApp: true } } });
  const env = { TWINBOX_HOME: home.home, DISPLAY: ':0', PATH: `${freerdp.binDir}:${process.env.PATH}` };

  const noAgentSupport = await twinbox(['run', '--quiet', 'office', 'viewer'], env);
  t.is(noAgentSupport.exitCode, 1);
  t.is(
    noAgentSupport.stderr,
    'twinbox: "Viewer" is a graphical app: it cannot open through RDP RemoteApp (the guest agent (qga) cannot set the password of the RDP account "twinbox"), and the fake (simulated) VM of "office" has no screen twinbox can show\nhint: update the qga guest-agent plugin (it needs guest-set-user-password)\n',
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

  const missing = await twinbox(['doctor'], { TWINBOX_HOME: home.home, PATH: '/usr/bin:/bin' });
  t.regex(missing.stdout, /WARNING +freerdp +xfreerdp3 \/ xfreerdp \/ sdl-freerdp3 \/ sdl-freerdp not found on PATH/);
  t.regex(missing.stdout, /fix freerdp: install FreeRDP: apt-get install freerdp3-x11/);
});
