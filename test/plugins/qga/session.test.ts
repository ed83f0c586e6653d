import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { isTwinboxError, Tokens, type Clock, type GuestAgentPlugin, type PluginContainer } from '../../../src/plugin-api/index.js';
import { QgaPeerError } from '../../../src/testing/qga-peer.js';
import { QgaGuestAgentPlugin, register } from '../../../plugins/qga/index.js';
import { commandsReceived, peerSession } from './peer-session.js';

const code = (error: unknown): string | undefined => (isTwinboxError(error) ? error.code : undefined);
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

test('info lists only enabled commands', async (t) => {
  const { session } = await peerSession(t, {
    handlers: {
      'guest-info': () => ({
        version: '9.0.0',
        supported_commands: [
          { name: 'guest-ping', enabled: true, 'success-response': true },
          { name: 'guest-exec', enabled: false, 'success-response': true },
          { name: 'guest-shutdown', enabled: true, 'success-response': false },
        ],
      }),
    },
  });
  t.deepEqual(await session.info(), { version: '9.0.0', commands: ['guest-ping', 'guest-shutdown'] });
});

test('osInfo maps the agent fields and asks the agent once per session', async (t) => {
  const { session, peer } = await peerSession(t, {
    osInfo: { id: 'alpine', name: 'Alpine Linux', 'pretty-name': 'Alpine Linux v3.20', 'version-id': '3.20.3', 'kernel-release': '6.6.58-0-virt' },
  });
  const expected = { id: 'alpine', name: 'Alpine Linux', prettyName: 'Alpine Linux v3.20', version: '3.20.3', kernelRelease: '6.6.58-0-virt' };
  t.deepEqual(await session.osInfo(), expected);
  t.deepEqual(await session.osInfo(), expected);
  t.is(commandsReceived(peer, 'guest-get-osinfo'), 1);
});

/** An agent whose program runs for `polls` status requests, then exits with `done` on stdout. */
function slowProgram(polls: number) {
  let asked = 0;
  return {
    'guest-exec': () => ({ pid: 321 }),
    'guest-exec-status': () => (++asked <= polls ? { exited: false } : { exited: true, exitcode: 0, 'out-data': Buffer.from('done').toString('base64') }),
  };
}

test('exec polls guest-exec-status until the program has exited', async (t) => {
  const { session, peer } = await peerSession(t, { handlers: slowProgram(4) });
  const result = await session.exec({ path: '/bin/sh', args: ['-c', 'printf done'], timeoutMs: 10_000 });
  t.is(result.exitCode, 0);
  t.is(text(result.stdout), 'done');
  t.is(commandsReceived(peer, 'guest-exec-status'), 5);
  t.deepEqual(
    peer.received.filter((request) => request.command === 'guest-exec-status').map((request) => request.arguments.pid),
    [321, 321, 321, 321, 321],
  );
  const exec = peer.received.find((request) => request.command === 'guest-exec');
  t.like(exec?.arguments, { path: '/bin/sh', arg: ['-c', 'printf done'], 'capture-output': true });
});

test('exec of a real program that takes a while returns once it has exited', async (t) => {
  const { session } = await peerSession(t);
  const result = await session.exec({ path: '/bin/sh', args: ['-c', 'sleep 0.3; printf done'], timeoutMs: 30_000 });
  t.is(result.exitCode, 0);
  t.is(text(result.stdout), 'done');
});

test('exec passes environment and input and reports a terminating signal', async (t) => {
  const { session } = await peerSession(t);
  const env = await session.exec({ path: '/bin/sh', args: ['-c', 'printf "%s" "$GREETING"; cat >&2'], env: ['GREETING=hello there'], input: Buffer.from('to stderr') });
  t.is(text(env.stdout), 'hello there');
  t.is(text(env.stderr), 'to stderr');
  const killed = await session.exec({ path: '/bin/sh', args: ['-c', 'kill -TERM $$'] });
  t.is(killed.exitCode, null);
  t.is(killed.signal, 15);
});

test('exec reports truncated output flags', async (t) => {
  const { session } = await peerSession(t, {
    handlers: {
      'guest-exec': () => ({ pid: 4242 }),
      'guest-exec-status': () => ({ exited: true, exitcode: 0, 'out-data': Buffer.from('partial').toString('base64'), 'out-truncated': true }),
    },
  });
  const result = await session.exec({ path: '/bin/big' });
  t.is(text(result.stdout), 'partial');
  t.true(result.stdoutTruncated);
  t.is(result.stderrTruncated, undefined);
  t.is(result.stderr.length, 0);
});

test('exec past its timeout rejects with guest-agent-timeout without waiting for the program', async (t) => {
  const { session } = await peerSession(t);
  const started = Date.now();
  const error = await t.throwsAsync(session.exec({ path: '/bin/sleep', args: ['10'], timeoutMs: 200 }));
  t.is(code(error), 'guest-agent-timeout');
  t.true(isTwinboxError(error) && error.exit === 'timeout');
  t.true(Date.now() - started < 5_000);
  await session.ping();
});

test('exec polling backs off through the injected clock', async (t) => {
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => Date.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  const { session } = await peerSession(t, { handlers: slowProgram(12) }, { clock });
  await session.exec({ path: '/bin/true' });
  t.is(sleeps.length, 12);
  t.true(sleeps.every((ms, index) => index === 0 || ms >= (sleeps[index - 1] ?? 0)), `never shrinks: ${sleeps.join(', ')}`);
  t.true((sleeps[0] ?? 0) < 50 && (sleeps.at(-1) ?? 0) <= 250, `small: ${sleeps.join(', ')}`);
});

test('exec of a missing program is an agent error', async (t) => {
  const { session } = await peerSession(t);
  t.is(code(await t.throwsAsync(session.exec({ path: '/no/such/program' }))), 'guest-agent-error');
});

test('writeFile and readFile move the data in chunks and close their handles', async (t) => {
  const { session, peer } = await peerSession(t, {}, { fileChunkBytes: 1_000 });
  await mkdir(join(peer.root, 'data'));
  const data = Buffer.alloc(4_500);
  for (let index = 0; index < data.length; index++) data[index] = (index * 7) % 256;
  await session.writeFile('/data/blob', data);
  t.true((await readFile(join(peer.root, 'data/blob'))).equals(data));
  t.is(commandsReceived(peer, 'guest-file-write'), 5);
  const back = await session.readFile('/data/blob');
  t.true(Buffer.from(back).equals(data));
  t.is(commandsReceived(peer, 'guest-file-read'), 5);
  t.is(commandsReceived(peer, 'guest-file-close'), 2);
  t.deepEqual(
    peer.received.filter((request) => request.command === 'guest-file-open').map((request) => request.arguments.mode),
    ['w', 'r'],
  );
});

test('a file of exactly whole chunks ends on the empty read', async (t) => {
  const { session, peer } = await peerSession(t, {}, { fileChunkBytes: 1_000 });
  await writeFile(join(peer.root, 'even'), Buffer.alloc(3_000, 1));
  t.is((await session.readFile('/even')).length, 3_000);
  t.is(commandsReceived(peer, 'guest-file-read'), 4);
  const empty = await session.readFile('/even').then(() => session.writeFile('/empty', new Uint8Array(0)));
  t.is(empty, undefined);
  t.is((await readFile(join(peer.root, 'empty'))).length, 0);
});

test('reading a missing file is an agent error; a failed read still closes the handle', async (t) => {
  const { session, peer } = await peerSession(t, {
    handlers: {
      'guest-file-read': () => {
        throw new QgaPeerError('GenericError', 'read failed');
      },
    },
  });
  t.is(code(await t.throwsAsync(session.readFile('/missing'))), 'guest-agent-error');
  t.is(commandsReceived(peer, 'guest-file-close'), 0);
  await writeFile(join(peer.root, 'present'), 'x');
  const error = await t.throwsAsync(session.readFile('/present'));
  t.is(error?.message, 'read failed');
  t.is(commandsReceived(peer, 'guest-file-close'), 1);
});

test('launch starts the app without capturing output and returns its pid', async (t) => {
  const { session, peer } = await peerSession(t);
  const { pid } = await session.launch({ id: 'x', name: 'x', kind: 'gui', command: ['/bin/sh', '-c', 'exit 0'], source: '/x.desktop' }, ['extra']);
  t.true(pid > 0);
  const exec = peer.received.find((request) => request.command === 'guest-exec');
  t.deepEqual(exec?.arguments, { path: '/bin/sh', arg: ['-c', 'exit 0', 'extra'] });
  t.is(code(await t.throwsAsync(session.launch({ id: 'y', name: 'y', kind: 'gui', command: [], source: '' }))), 'invalid-app');
});

test('listApps on a Linux guest reads desktop entries under the guest root', async (t) => {
  const { session, peer } = await peerSession(t);
  const dir = join(peer.root, 'usr/share/applications');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'htop.desktop'), '[Desktop Entry]\nType=Application\nName=Htop\nExec=htop\nTerminal=true\nCategories=System;Monitor;\n');
  await writeFile(join(dir, 'hidden.desktop'), '[Desktop Entry]\nType=Application\nName=Hidden\nExec=hidden\nNoDisplay=true\n');
  t.deepEqual(await session.listApps(), [
    { id: 'htop', name: 'Htop', kind: 'terminal', command: ['htop'], categories: ['System', 'Monitor'], source: '/usr/share/applications/htop.desktop' },
  ]);
});

test('listApps on a Windows guest runs PowerShell and parses its JSON', async (t) => {
  const shortcut = { Name: 'Notepad++', Path: 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Notepad++.lnk', Folder: '', TargetPath: 'C:\\Program Files\\Notepad++\\notepad++.exe', Arguments: '', WorkingDirectory: '' };
  const { session, peer } = await peerSession(t, {
    osInfo: { id: 'mswindows', name: 'Microsoft Windows', 'pretty-name': 'Windows 10 Pro', 'version-id': '10' },
    handlers: {
      'guest-exec': () => ({ pid: 900 }),
      'guest-exec-status': () => ({ exited: true, exitcode: 0, 'out-data': Buffer.from(`${JSON.stringify(shortcut)}\r\n`).toString('base64') }),
    },
  });
  const apps = await session.listApps();
  t.deepEqual(
    apps.map((app) => [app.id, app.kind, app.command[0]]),
    [['notepad', 'gui', 'C:\\Program Files\\Notepad++\\notepad++.exe']],
  );
  t.is(peer.received.find((request) => request.command === 'guest-exec')?.arguments.path, 'powershell.exe');
});

test('listApps reports a failing discovery script', async (t) => {
  const { session } = await peerSession(t, {
    handlers: {
      'guest-exec': () => ({ pid: 1 }),
      'guest-exec-status': () => ({ exited: true, exitcode: 127, 'err-data': Buffer.from('sh: not found').toString('base64') }),
    },
  });
  t.is(code(await t.throwsAsync(session.listApps())), 'guest-app-discovery-failed');
});

test('register provides the plugin under Tokens.GuestAgent, using the host clock when there is one', (t) => {
  const registered = new Map<string, (container: PluginContainer) => unknown>();
  const clock: Clock = { now: () => 0, sleep: async () => undefined };
  const container: PluginContainer = {
    register: (token, provider) => registered.set(token, 'useFactory' in provider ? provider.useFactory : () => provider.useValue),
    resolve: <T>(token: string) => (token === Tokens.Clock ? clock : undefined) as T,
    isRegistered: (token) => token === Tokens.Clock,
  };
  register(container);
  const plugin = registered.get(Tokens.GuestAgent)?.(container) as GuestAgentPlugin;
  t.true(plugin instanceof QgaGuestAgentPlugin);
  t.is(plugin.kind, 'guest-agent');
  t.is(plugin.name, 'qga');
  t.is(plugin.channelName, 'org.qemu.guest_agent.0');
});
