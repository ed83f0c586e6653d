import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import test, { type ExecutionContext } from 'ava';
import { isTwinboxError, TwinboxError, type GuestAgentSession, type VmDisplay } from 'twinbox/plugin-api';
import { verifyFakeGuestPassword } from '../../../plugins/fake/index.js';
import { runApp } from '../../../src/core/apps/run-app.js';
import { beginSession, launchCounts, readSessions } from '../../../src/core/apps/app-sessions.js';
import { HostAgent } from '../../../src/core/agent/host-agent.js';
import { EventCodes } from '../../../src/core/events/codes.js';
import { ManualClock } from '../setup/helpers/manual-clock.js';
import { workspaceEvents } from '../setup/helpers/events.js';
import { openCore, type Core } from '../../../src/core/open-core.js';
import { resolvePaths } from '../../../src/core/paths.js';
import { openWorkspace } from '../../../src/core/workspace/open-workspace.js';
import { tempDir } from '../../helpers/temp.js';
import { testHome, type TestHome } from '../workspace/helpers/installed-workspace.js';
import { FREERDP_OUTPUT, freeRdpStandIn } from './helpers/freerdp-stand-in.js';

// FreeRDP is found on PATH, which belongs to this worker process: the tests that change it run one at a time.

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/viewer': '#!/bin/sh\nexit 0\n',
  'usr/share/applications/viewer.desktop': '[Desktop Entry]\nType=Application\nName=Viewer\nExec=/usr/bin/viewer\n',
};
const RDP = { port: 3389, user: 'twinbox', remoteApp: true };
const io = () => ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() });

function withPath(t: ExecutionContext, binDir?: string): void {
  const original = process.env.PATH;
  // Without the stand-in, PATH keeps only the system folders, where this machine has no FreeRDP.
  process.env.PATH = binDir ? `${binDir}:${original}` : '/usr/bin:/bin';
  t.teardown(() => {
    process.env.PATH = original;
  });
}

interface PasswordCall {
  user: string;
  password: string;
}

/** Wraps the guest agent's sessions: `change` sees each one and may replace its setUserPassword. */
async function onSessions(core: Core, change: (session: GuestAgentSession) => Partial<GuestAgentSession>): Promise<void> {
  const agent = await core.plugins.guestAgent('qga');
  const connect = agent.connect.bind(agent);
  Object.assign(agent, {
    connect: async (...args: Parameters<typeof agent.connect>): Promise<GuestAgentSession> => {
      const session = await connect(...args);
      return Object.assign(session, change(session));
    },
  });
}

/** Records the passwords the fake guest's agent is asked to set, and sets them. */
async function recordingPasswords(core: Core): Promise<PasswordCall[]> {
  const calls: PasswordCall[] = [];
  await onSessions(core, (session) => {
    const real = session.setUserPassword!.bind(session);
    return {
      setUserPassword: async (user: string, password: string) => {
        calls.push({ user, password });
        await real(user, password);
      },
    };
  });
  return calls;
}

async function officeWithRdp(t: ExecutionContext, manifest: Record<string, unknown> = {}): Promise<{ home: TestHome; docs: string }> {
  const home = testHome(t);
  const docs = tempDir(t, 'tbx-docs-');
  await home.install({
    name: 'office',
    files: FILES,
    manifest: { rdp: RDP, sharedFolders: [{ host: docs, guest: '\\\\tsclient\\docs' }, { host: '/srv/data', guest: '/mnt/data' }], ...manifest },
  });
  return { home, docs };
}

function killAfter(t: ExecutionContext, pid: number | undefined): void {
  t.teardown(() => {
    try {
      if (pid) process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  });
}

/** Every regular file under these folders that contains `needle`. */
function filesContaining(dirs: string[], needle: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && readFileSync(path).includes(needle)) found.push(path);
    }
  };
  for (const dir of dirs) walk(dir);
  return found;
}

async function failure(t: ExecutionContext, promise: Promise<unknown>): Promise<Error & { hint?: string; code?: string }> {
  const error = await t.throwsAsync(promise);
  t.true(isTwinboxError(error), String(error));
  return error as Error & { hint?: string };
}

test.serial('a GUI app opens as an RDP RemoteApp window through FreeRDP 3, which gets its one-time password on stdin and nowhere else', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const { home, docs } = await officeWithRdp(t);
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  const passwords = await recordingPasswords(core);

  const result = await runApp(core, 'office', 'viewer', io(), { args: ['annual report.docx'] });
  const launched = result.launched;
  if (launched?.via !== 'remoteapp') return t.fail(`launched ${JSON.stringify(launched)}`);
  killAfter(t, launched.pid);
  t.deepEqual(launched.client, { program: 'xfreerdp3', version: '3.5.1' });
  t.is(launched.address, '127.0.0.1:3389', 'the fake forwards the guest port as the same loopback port');

  t.is(passwords.length, 1);
  const { user, password } = passwords[0]!;
  t.is(user, 'twinbox');
  t.true(password.length >= 32);
  const argv = await freerdp.argv();
  t.deepEqual(argv, [
    '/v:127.0.0.1:3389',
    '/u:twinbox',
    '/from-stdin:force',
    '/cert:tofu',
    '+clipboard',
    '/wm-class:twinbox-office-viewer',
    `/drive:docs,${docs}`,
    // A `"` inside an unquoted item is an error to WinPR's get_next_comma (cmdline.c): the whole
    // list is full-quoted in `'` instead (see freerdp-cmdline.test.ts).
    '/app:\'program:/usr/bin/viewer,name:Viewer,cmd:"annual report.docx"\'',
  ]);
  t.is(await freerdp.stdin(), password, 'FreeRDP read the password the guest account was given');
  t.true(await verifyFakeGuestPassword(home.registry().get('office').vm!, 'twinbox', password), "the fake guest's agent set it for the account");
  t.false(argv.some((arg) => arg.includes(password)), 'never on the command line, which ps shows');
  // FreeRDP runs on after twinbox returned: the window stays open.
  t.notThrows(() => process.kill(launched.pid, 0));
  t.is(statSync(launched.logFile).mode & 0o777, 0o600);

  const events = readFileSync(join(home.workspaceDir('office'), 'events.jsonl'), 'utf8');
  t.regex(events, /"message":"a one-time RDP password was set for guest account \\"twinbox\\"","code":2203/);
  t.regex(events, /"message":"Viewer opened through RDP RemoteApp \(FreeRDP 3\.5\.1, pid \d+\)","code":2200/);
  t.deepEqual(filesContaining([home.home, resolvePaths(home.env).runtimeDir], password), [], 'in no file of twinbox: logs, events, state');
});

test.serial('an open RemoteApp window counts as a running app until FreeRDP exits, so the close action waits for it', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const { home } = await officeWithRdp(t);
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  await recordingPasswords(core);
  const result = await runApp(core, 'office', 'viewer', io());
  const launched = result.launched;
  if (launched?.via !== 'remoteapp') return t.fail(`launched ${JSON.stringify(launched)}`);
  killAfter(t, launched.pid);
  const layout = openWorkspace(core, 'office').layout;
  t.deepEqual(readSessions(layout).live.map((session) => [session.pid, session.app]), [[launched.pid, 'viewer']], 'twinbox run has returned; the window is open');

  process.kill(launched.pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (readSessions(layout).live.length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  t.deepEqual(readSessions(layout).live, [], 'the window closed with FreeRDP');
  t.is(launchCounts(layout).get('viewer'), 1, 'one launch, counted once');
});

test.serial('FreeRDP 2 gets its own RemoteApp syntax, and a new password each launch', async (t) => {
  const freerdp = await freeRdpStandIn(t, { program: 'xfreerdp', version: FREERDP_OUTPUT.version2 });
  withPath(t, freerdp.binDir);
  const { home } = await officeWithRdp(t, { rdp: { ...RDP, port: 3390, domain: 'CORP' }, sharedFolders: [] });
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  const passwords = await recordingPasswords(core);

  const first = await runApp(core, 'office', 'viewer', io(), { args: ['a.txt', 'say "hi"'] });
  killAfter(t, first.launched?.pid);
  t.deepEqual(await freerdp.argv(), ['/v:127.0.0.1:3390', '/u:twinbox', '/d:CORP', '/from-stdin:force', '/cert-tofu', '+clipboard', '/wm-class:twinbox-office-viewer', '/app:/usr/bin/viewer', '/app-name:Viewer', '/app-cmd:a.txt "say \\"hi\\""']);
  const second = await runApp(core, 'office', 'viewer', io());
  killAfter(t, second.launched?.pid);
  t.is(passwords.length, 2);
  t.not(passwords[0]!.password, passwords[1]!.password);
});

test.serial('FreeRDP failing at once is an error with its last log line and what to check, and the password is not in it', async (t) => {
  const freerdp = await freeRdpStandIn(t, { fail: { lines: FREERDP_OUTPUT.authFailure, exitCode: 132 } });
  withPath(t, freerdp.binDir);
  const { home } = await officeWithRdp(t);
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  const passwords = await recordingPasswords(core);

  const error = await failure(t, runApp(core, 'office', 'viewer', io()));
  // FreeRDP's ERRCONNECT_* line is shown, not the last line it wrote after it.
  t.regex(error.message, /^FreeRDP could not open "Viewer" through RDP RemoteApp \(exit 132: authentication failure\): \[ERROR\]\[com\.freerdp\.core\] - \[nla_recv_pdu\]: ERRCONNECT_LOGON_FAILURE \[0x00020014\]$/);
  t.regex(error.hint!, /the guest refused the RDP account "twinbox": the image must create it and let it sign in over RDP/);
  const { password } = passwords[0]!;
  t.false(error.message.includes(password) || error.hint!.includes(password));
  const events = readFileSync(join(home.workspaceDir('office'), 'events.jsonl'), 'utf8');
  t.regex(events, /"message":"FreeRDP could not open Viewer \(exit 132: authentication failure\): [^"]*ERRCONNECT_LOGON_FAILURE \[0x00020014\]","code":2202/);
  t.deepEqual(filesContaining([home.home], password), []);
});

test.serial('a closed RDP port is named as such', async (t) => {
  const freerdp = await freeRdpStandIn(t, { fail: { lines: FREERDP_OUTPUT.connectFailed, exitCode: 131 } });
  withPath(t, freerdp.binDir);
  const { home } = await officeWithRdp(t);
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  await recordingPasswords(core);
  const error = await failure(t, runApp(core, 'office', 'viewer', io()));
  t.regex(error.message, /\(exit 131: connection failed\): .*ERRCONNECT_CONNECT_TRANSPORT_FAILED/);
  t.regex(error.hint!, /nothing usable answered RDP at 127\.0\.0\.1:3389/);
});

test.serial('without FreeRDP on the host the error says to install it, where the VM has no screen either', async (t) => {
  withPath(t);
  const { home } = await officeWithRdp(t);
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  const passwords = await recordingPasswords(core);
  const error = await failure(t, runApp(core, 'office', 'viewer', io()));
  t.is(error.message, '"Viewer" is a graphical app: it cannot open through RDP RemoteApp (FreeRDP is not installed on this host (looked for xfreerdp3, xfreerdp, sdl-freerdp3, sdl-freerdp, wlfreerdp3, wlfreerdp on PATH)), and the fake (simulated) VM of "office" has no screen twinbox can show');
  t.regex(error.hint!, /^install FreeRDP: apt-get install freerdp3-x11/);
  t.is(passwords.length, 0, 'no password is set for a launch that cannot happen');
});

test.serial('with RemoteApp turned off by machine policy the app opens on the VM screen, and the reason is logged', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const { home } = await officeWithRdp(t);
  const policyDir = tempDir(t, 'tbx-policy-');
  await writeFile(join(policyDir, 'policy.json'), JSON.stringify({ 'publishing.remoteApp': false }));
  const core = openCore({ env: { ...home.env, DISPLAY: ':0', TWINBOX_POLICY_DIR: policyDir } });
  const passwords = await recordingPasswords(core);
  const screen: VmDisplay = { protocol: 'vnc', address: '/run/screen.sock', viewer: 'remote-viewer vnc+unix:///run/screen.sock' };
  const fake = await core.plugins.hypervisor('fake');
  Object.assign(fake, { display: async () => screen });

  const result = await runApp(core, 'office', 'viewer', io());
  t.is(result.launched?.via, 'screen');
  t.is(passwords.length, 0);
  const events = readFileSync(join(home.workspaceDir('office'), 'events.jsonl'), 'utf8');
  t.regex(events, /"message":"Viewer opens on the VM's screen, not through RDP RemoteApp: RDP RemoteApp is turned off \(publishing.remoteApp, set by policy:[^)]*policy.json\)","code":2201/);

  // With no screen either, the error says who turned it off.
  Object.assign(fake, { display: async () => undefined });
  const error = await failure(t, runApp(core, 'office', 'viewer', io()));
  t.regex(error.message, /cannot open through RDP RemoteApp \(RDP RemoteApp is turned off/);
  t.regex(error.hint!, /machine policy turned it off .*; ask your administrator/);
});

test.serial('a VM whose RDP port cannot be reached, and a guest agent that cannot set passwords, are each named', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const { home } = await officeWithRdp(t);
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  const fake = await core.plugins.hypervisor('fake');
  const forward = fake.forwardPort!.bind(fake);
  Object.assign(fake, { forwardPort: async () => undefined });
  const unreachable = await failure(t, runApp(core, 'office', 'viewer', io()));
  t.regex(unreachable.message, /cannot open through RDP RemoteApp \(the fake \(simulated\) VM of "office" gives no way to reach its RDP port 3389\)/);
  t.regex(unreachable.hint!, /vm.network "nat"/);

  Object.assign(fake, { forwardPort: forward });
  // A guest-agent plugin without setUserPassword.
  await onSessions(core, () => ({ setUserPassword: undefined }));
  const noPasswords = await failure(t, runApp(core, 'office', 'viewer', io()));
  t.regex(noPasswords.message, /cannot open through RDP RemoteApp \(the guest agent \(qga\) cannot set the password of the RDP account "twinbox"\)/);
  t.regex(noPasswords.hint!, /guest-set-user-password/);
});

test.serial('a package without RDP keeps the VM-screen message, and FreeRDP is never started', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES });
  const error = await failure(t, runApp(openCore({ env: { ...home.env, DISPLAY: ':0' } }), 'office', 'viewer', io()));
  t.is(error.message, '"Viewer" is a graphical app, and the fake (simulated) VM of "office" has no screen twinbox can show');
  t.false(existsSync(join(freerdp.binDir, 'argv')));
});

test.serial('a package that asks for a screen the VM has none of now says so, and points at the log that tells why', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { vm: { display: 'console' } } });
  const error = await failure(t, runApp(openCore({ env: { ...home.env, DISPLAY: ':0' } }), 'office', 'viewer', io()));
  t.is(error.message, '"Viewer" is a graphical app, and the fake (simulated) VM of "office" has no screen twinbox can show, though its package asks for one (vm.display "console")');
  t.regex(error.hint!, /^`twinbox logs office` tells why the fake plugin gave it none .*`twinbox stop office`, then start\)$/);
  t.false(existsSync(join(freerdp.binDir, 'argv')));
});

test.serial('a guest agent that refuses to set passwords (blocked or too old) sends the app to the VM screen before FreeRDP starts', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const { home } = await officeWithRdp(t);
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  await onSessions(core, () => ({
    setUserPassword: async () => {
      throw new TwinboxError('guest-agent-unsupported', 'the guest agent cannot set passwords: Command guest-set-user-password has been disabled', { hint: 'enable guest-set-user-password in the guest\'s qemu-guest-agent' });
    },
  }));
  const screen: VmDisplay = { protocol: 'vnc', address: '/run/screen.sock', viewer: 'remote-viewer vnc+unix:///run/screen.sock' };
  Object.assign(await core.plugins.hypervisor('fake'), { display: async () => screen });
  const result = await runApp(core, 'office', 'viewer', io());
  t.is(result.launched?.via, 'screen');
  t.false(existsSync(join(freerdp.binDir, 'argv')), 'FreeRDP was not started');
  const events = readFileSync(join(home.workspaceDir('office'), 'events.jsonl'), 'utf8');
  t.regex(events, /RDP RemoteApp: the guest agent cannot set the password of the RDP account \\"twinbox\\" \(the guest agent cannot set passwords: Command guest-set-user-password has been disabled\)","code":2201/);
});

test.serial('in a Wayland session without DISPLAY the SDL client is used (no WM_CLASS), the X11 ones are passed over', async (t) => {
  const x11Only = await freeRdpStandIn(t);
  withPath(t, x11Only.binDir);
  const { home } = await officeWithRdp(t, { sharedFolders: [] });
  const env: NodeJS.ProcessEnv = { ...home.env, WAYLAND_DISPLAY: 'wayland-0' };
  delete env.DISPLAY;
  const core = openCore({ env });
  const missing = await failure(t, runApp(core, 'office', 'viewer', io()));
  t.regex(missing.message, /FreeRDP is not installed on this host \(looked for sdl-freerdp3, sdl-freerdp, wlfreerdp3, wlfreerdp on PATH\)/);

  const sdl = await freeRdpStandIn(t, { program: 'sdl-freerdp3' });
  // withPath's teardown puts the original PATH back.
  process.env.PATH = `${sdl.binDir}:${process.env.PATH}`;
  const result = await runApp(core, 'office', 'viewer', io());
  t.like(result.launched, { via: 'remoteapp', client: { program: 'sdl-freerdp3', version: '3.5.1' } });
  t.deepEqual(await sdl.argv(), ['/v:127.0.0.1:3389', '/u:twinbox', '/from-stdin:force', '/cert:tofu', '+clipboard', '/app:program:/usr/bin/viewer,name:Viewer']);
});

/** office with RDP on a desktop (FreeRDP stand-in on PATH), its idle time set, and the passwords its guest agent sets. */
async function desktopWithIdleTime(t: ExecutionContext, idleMinutes: number) {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const { home } = await officeWithRdp(t);
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  const passwords = await recordingPasswords(core);
  core.settings.set('workspace.idleMinutes', idleMinutes);
  return { home, core, passwords };
}

test.serial('once its RemoteApp windows have closed and no app runs, the host agent retires the one-time password', async (t) => {
  const { home, core, passwords } = await desktopWithIdleTime(t, 60);
  const vm = () => home.registry().get('office').vm!;
  const agent = new HostAgent(core, { clock: new ManualClock() });

  const first = (await runApp(core, 'office', 'viewer', io())).launched;
  if (first?.via !== 'remoteapp') return t.fail(`launched ${JSON.stringify(first)}`);
  const ws = openWorkspace(core, 'office');
  t.like(readSessions(ws.layout).live, [{ pid: first.pid, kind: 'gui', rdpUser: 'twinbox' }]);
  // The window is open: the password FreeRDP signed in with stays as it is.
  t.like((await agent.round())[0], { outcome: 'watched', sessions: 1, rdpPasswordsRetired: undefined });
  t.true(await verifyFakeGuestPassword(vm(), 'twinbox', passwords[0]!.password));

  process.kill(first.pid, 'SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Another app is running (a launch that may be signing in with a password of its own): not yet.
  const other = beginSession(ws.layout, { id: 'editor', kind: 'gui' }, Date.now());
  t.like((await agent.round())[0], { outcome: 'watched', sessions: 1, rdpPasswordsRetired: undefined });
  t.true(await verifyFakeGuestPassword(vm(), 'twinbox', passwords[0]!.password));
  other.end();

  t.like((await agent.round())[0], { outcome: 'watched', sessions: 0, rdpPasswordsRetired: ['twinbox'] });
  t.false(await verifyFakeGuestPassword(vm(), 'twinbox', passwords[0]!.password), 'what FreeRDP was given opens nothing now');
  // The replacement went through the guest agent too, and is kept nowhere on this side.
  t.is(passwords.length, 2);
  t.not(passwords[1]!.password, passwords[0]!.password);
  t.deepEqual(filesContaining([home.home], passwords[1]!.password), []);
  const retired = (await workspaceEvents(home.workspaceDir('office'))).filter((event) => event.code === EventCodes.remoteAppPasswordRetired);
  t.is(retired.length, 1);
  t.regex(retired[0]!.message, /^the one-time RDP password of guest account "twinbox" was retired/);
  // Once only.
  t.like((await agent.round())[0], { outcome: 'watched', rdpPasswordsRetired: undefined });
});

test.serial('a workspace closed by its idle time has the one-time password retired first, so it does not come back valid', async (t) => {
  const { home, core, passwords } = await desktopWithIdleTime(t, 0);
  const launched = (await runApp(core, 'office', 'viewer', io())).launched;
  if (launched?.via !== 'remoteapp') return t.fail(`launched ${JSON.stringify(launched)}`);
  process.kill(launched.pid, 'SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const agent = new HostAgent(core, { clock: new ManualClock() });
  t.like((await agent.round())[0], { outcome: 'closed', closed: { done: 'suspended' }, rdpPasswordsRetired: ['twinbox'] });
  t.false(await verifyFakeGuestPassword(home.registry().get('office').vm!, 'twinbox', passwords[0]!.password));
});

test.serial('a guest agent that refuses to retire the password is told of once, not every round', async (t) => {
  const { home, core } = await desktopWithIdleTime(t, 60);
  const launched = (await runApp(core, 'office', 'viewer', io())).launched;
  if (launched?.via !== 'remoteapp') return t.fail(`launched ${JSON.stringify(launched)}`);
  process.kill(launched.pid, 'SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  // The guest's agent has had guest-set-user-password blocked since the launch.
  await onSessions(core, () => ({
    setUserPassword: async () => {
      throw new TwinboxError('guest-agent-unsupported', 'Command guest-set-user-password has been disabled');
    },
  }));
  const agent = new HostAgent(core, { clock: new ManualClock() });
  t.like((await agent.round())[0], { outcome: 'watched', rdpPasswordsRetired: [] });
  // Not tried again: it would be refused again.
  for (let round = 0; round < 2; round++) t.like((await agent.round())[0], { outcome: 'watched', rdpPasswordsRetired: undefined });
  const failed = (await workspaceEvents(home.workspaceDir('office'))).filter((event) => event.code === EventCodes.remoteAppPasswordRetireFailed);
  t.deepEqual(
    failed.map((event) => event.message),
    ['the one-time RDP password of "twinbox" could not be retired: Command guest-set-user-password has been disabled'],
  );
});

test.serial('a shared folder missing on this host stops the launch before any password is set, with its own message (FreeRDP would exit 24)', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  withPath(t, freerdp.binDir);
  const missing = join(tempDir(t, 'tbx-gone-'), 'Reports');
  const { home } = await officeWithRdp(t, { sharedFolders: [{ host: missing, guest: '\\\\tsclient\\reports' }] });
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  const passwords = await recordingPasswords(core);
  const error = await failure(t, runApp(core, 'office', 'viewer', io()));
  t.is(error.code, 'remoteapp-drive-missing');
  t.is(error.message, `cannot open "Viewer" through RDP RemoteApp: the shared folder ${missing} (\\\\tsclient\\reports) does not exist on this host`);
  t.is(error.hint, `create it (mkdir -p ${JSON.stringify(missing)}), or change the package's sharedFolders`);
  t.deepEqual(passwords, [], 'no password was set');
  t.false(existsSync(join(freerdp.binDir, 'pid')), 'FreeRDP was not started');
});
