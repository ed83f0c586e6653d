import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { freeRdpArguments, type RdpDrive } from '../../src/core/apps/freerdp-arguments.js';
import { findFreeRdp, type FreeRdpClient } from '../../src/core/apps/freerdp-client.js';
import { checkDriveFolders, freeRdpLaunchError, startFreeRdp, FREERDP_GRACE_MS } from '../../src/core/apps/remote-app-launch.js';
import { ExecaCommandRunner } from '../../src/core/process/execa-runner.js';
import { tempDir } from '../helpers/temp.js';
import { alive } from '../helpers/processes.js';
import { suiteTeardown } from '../helpers/suite-teardown.js';

/**
 * The real FreeRDP client (Debian's freerdp2-x11: xfreerdp 2.11.7) under a real Xvfb against a
 * real RDP server on loopback (Debian's xrdp 0.9.21 with its xrdp-sesman, which checks the
 * password through PAM), driven through twinbox's own client code: findFreeRdp,
 * freeRdpArguments, startFreeRdp (the password on standard input only) and the messages
 * twinbox shows. xrdp has no RemoteApp: it answers the /app: request with its own session,
 * which is enough for connection, sign-in, drive and exit-code cases. Needs root (xrdp-sesman
 * and throw-away users); .ci/run installs freerdp2-x11, xvfb and xrdp.
 */

const TOOLS = ['xfreerdp', 'Xvfb', 'xrdp', 'xrdp-sesman', 'openssl', 'useradd', 'userdel', 'chpasswd'];

function missingTools(): string[] {
  return TOOLS.filter((tool) => {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

const why = process.getuid?.() !== 0 ? 'not root (xrdp-sesman and throw-away users need root)' : missingTools().length ? `missing ${missingTools().join(', ')} (apt-get install freerdp2-x11 xvfb xrdp)` : undefined;
// In CI the real client and server are installed by .ci/run: their absence is a failure there.
if (why && process.env.CI) {
  test('the real FreeRDP and xrdp are here', (t) => t.fail(`cannot run the FreeRDP against xrdp tests: ${why}`));
} else if (why) {
  console.log(`freerdp-xrdp tests skipped: ${why}`);
}
const it = why ? test.skip : test;

const suite = suiteTeardown(test);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  if (host === 'localhost') return (await listening(port, '127.0.0.1')) || (await listening(port, '::1'));
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A process in its own group, killed with its group when the suite ends. */
function daemon(command: string, args: string[], log: string, extra: { stdio3?: boolean } = {}): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd, ...(extra.stdio3 ? ['pipe' as const] : [])] });
  closeSync(fd);
  suite.teardown(() => killGroup(child.pid));
  return child;
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

interface Account {
  name: string;
  password: string;
}

interface World {
  dir: string;
  display: string;
  port: number;
  client: FreeRdpClient;
  xrdpLog: string;
  accounts: Record<'plain' | 'apostrophe' | 'quote' | 'comma' | 'space' | 'accent', Account>;
}

/** Processes of the throw-away users (sessions sesman started for them), by the users' ids. */
function killUserProcesses(uid: number): void {
  let pids: string[] = [];
  try {
    pids = execFileSync('ps', ['-o', 'pid=', '-u', String(uid)], { encoding: 'utf8' }).split('\n').map((pid) => pid.trim()).filter(Boolean);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

function account(suffix: string, stem: string): Account {
  const name = `${stem}${suffix}`;
  // A password with a double quote, a semicolon, a space and non-ASCII, on stdin only.
  const password = `Pw "${randomBytes(3).toString('hex')}; é`;
  execFileSync('useradd', ['--badname', '--no-create-home', '--shell', '/bin/sh', '--user-group', name]);
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  suite.teardown(() => {
    killUserProcesses(uid);
    execFileSync('userdel', [name], { stdio: 'ignore' });
  });
  execFileSync('chpasswd', { input: `${name}:${password}\n` });
  return { name, password };
}

async function setUp(): Promise<World> {
  const dir = tempDir(suite, 'tbx-xrdp-');
  // Xvfb picks a free display and writes its number on fd 3.
  const xvfb = daemon('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1024x768x24'], join(dir, 'xvfb.log'), { stdio3: true });
  const displayNumber = await new Promise<string>((resolve, reject) => {
    let text = '';
    const pipe = xvfb.stdio[3] as NodeJS.ReadableStream;
    pipe.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        xvfb.removeAllListeners('exit');
        resolve(text.trim());
      }
    });
    const early = (code: number | null) => reject(new Error(`Xvfb exited ${code}: ${readFileSync(join(dir, 'xvfb.log'), 'utf8')}`));
    xvfb.once('exit', early);
    pipe.once('end', () => xvfb.off('exit', early));
  });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  // xrdp asks sesman on the port /etc/xrdp/sesman.ini names; this sesman uses that port with its own logs.
  const systemSesman = readFileSync('/etc/xrdp/sesman.ini', 'utf8');
  const sesmanPort = Number(/^ListenPort=(\d+)/m.exec(systemSesman)?.[1] ?? 3350);
  // Where the package's own xrdp-sesman service runs already (a host with systemd starts it on
  // install), xrdp talks to that one: it checks passwords through the same PAM.
  const ownSesman = !(await listening(sesmanPort, 'localhost'));
  if (!ownSesman) console.log(`freerdp-xrdp: port ${sesmanPort} answers already (the system's xrdp-sesman): using it`);
  writeFileSync(join(dir, 'sesman.ini'), systemSesman.replace(/^LogFile=.*$/gm, `LogFile=${join(dir, 'sesman.log')}`).replace(/^EnableSyslog=.*$/gm, 'EnableSyslog=false'));
  const port = await freePort();
  const xrdpLog = join(dir, 'xrdp.log');
  writeFileSync(
    join(dir, 'xrdp.ini'),
    [
      '[Globals]',
      'ini_version=1',
      'fork=false',
      `port=tcp://127.0.0.1:${port}`,
      'security_layer=tls',
      'crypt_level=high',
      `certificate=${join(dir, 'cert.pem')}`,
      `key_file=${join(dir, 'key.pem')}`,
      'ssl_protocols=TLSv1.2, TLSv1.3',
      'autorun=Xvnc',
      'allow_channels=true',
      'max_bpp=24',
      '[Logging]',
      `LogFile=${xrdpLog}`,
      'LogLevel=INFO',
      'EnableSyslog=false',
      '[Channels]',
      'rdpdr=true',
      'rdpsnd=false',
      'drdynvc=false',
      'cliprdr=true',
      'rail=true',
      '[Xvnc]',
      'name=Xvnc',
      'lib=libvnc.so',
      'username=ask',
      'password=ask',
      'ip=127.0.0.1',
      'port=-1',
      '',
    ].join('\n'),
  );
  mkdirSync('/var/run/xrdp', { recursive: true });
  if (ownSesman) daemon('xrdp-sesman', ['--nodaemon', '--config', join(dir, 'sesman.ini')], join(dir, 'sesman.out'));
  daemon('xrdp', ['--nodaemon', '--config', join(dir, 'xrdp.ini')], join(dir, 'xrdp.out'));
  await until('xrdp and xrdp-sesman to listen', 10_000, async () => (await listening(port)) && (await listening(sesmanPort, 'localhost')));

  const suffix = randomBytes(2).toString('hex');
  const accounts = {
    plain: account(suffix, 'tbxr'),
    apostrophe: account(suffix, "tbx'r"),
    quote: account(suffix, 'tbx"r'),
    comma: account(suffix, 'tbx,r'),
    space: account(suffix, 'tbx r'),
    accent: account(suffix, 'tbxré'),
  };
  const runner = new ExecaCommandRunner();
  const client = await findFreeRdp(runner, { x11Display: true, env: { DISPLAY: `:${displayNumber}` } });
  if (!client) throw new Error('findFreeRdp found no FreeRDP client although xfreerdp is on PATH');
  return { dir, display: `:${displayNumber}`, port, client, xrdpLog, accounts };
}

let world: Promise<World> | undefined;
const getWorld = async (): Promise<World> => (world ??= setUp());

interface Launch {
  /**
   * How long to watch for FreeRDP's exit: twinbox's own 2 s unless a test is about what the
   * real client exits with, not about the watch (a loaded CI machine may take longer to start it).
   */
  graceMs?: number;
  user: string;
  password: string;
  drives?: RdpDrive[];
  port?: number;
  /** Arguments as given, instead of twinbox's, to show what the client does without twinbox's checks. */
  rawArgs?: (args: string[]) => string[];
}

interface Outcome {
  pid: number;
  /** twinbox's message and hint when FreeRDP ended within the watch. */
  error?: { message: string; hint?: string; exitCode: number | null };
  ms: number;
}

const APP = 'Report Viewer';
/** For the cases about FreeRDP's exit code itself: long enough for a loaded machine to start the client. */
const EXIT_WATCH_MS = 20_000;

/** One launch through twinbox's client code; the FreeRDP left running is killed when the suite ends. */
async function launch(w: World, request: Launch): Promise<Outcome> {
  const runner = new ExecaCommandRunner();
  const logFile = join(w.dir, `freerdp-${randomBytes(4).toString('hex')}.log`);
  closeSync(openSync(logFile, 'a', 0o600));
  let args = freeRdpArguments(w.client, {
    address: { host: '127.0.0.1', port: request.port ?? w.port },
    user: request.user,
    program: '/usr/bin/xterm',
    args: [],
    name: APP,
    wmClass: 'twinbox-e2e-viewer',
    drives: request.drives ?? [],
  });
  if (request.rawArgs) args = request.rawArgs(args);
  const started = Date.now();
  // HOME: FreeRDP keeps its known-hosts file (/cert-tofu) there.
  const env = { DISPLAY: w.display, HOME: w.dir, XDG_CONFIG_HOME: join(w.dir, 'config') };
  const result = await startFreeRdp({ runner, path: w.client.path, args, password: request.password, env, logFile, logOffset: 0, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), graceMs: request.graceMs });
  suite.teardown(() => killGroup(result.pid));
  const ms = Date.now() - started;
  if (!result.failed) return { pid: result.pid, ms };
  const subject = { appName: APP, user: request.user, client: { program: w.client.program, version: w.client.version }, address: `127.0.0.1:${request.port ?? w.port}`, logFile };
  const error = freeRdpLaunchError(subject, result.failed.exitCode, result.failed.failure, result.failed.line);
  return { pid: result.pid, ms, error: { message: error.message, hint: error.hint, exitCode: result.failed.exitCode } };
}

/** Waits for xrdp to log the sign-in of `user`, as sesman answered it through PAM. */
async function xrdpSignIn(w: World, user: string): Promise<'successful' | 'failed'> {
  return until(`xrdp to log the sign-in of ${user}`, 15_000, () => {
    const log = readFileSync(w.xrdpLog, 'utf8');
    if (log.includes(`login successful for user ${user} on display`)) return 'successful' as const;
    if (log.includes(`login failed for user ${user}\n`)) return 'failed' as const;
    return undefined;
  });
}

it('the real FreeRDP with the right password signs in to xrdp, the password given on stdin only, and twinbox leaves its window open', async (t) => {
  const w = await getWorld();
  t.is(w.client.program, 'xfreerdp');
  t.is(w.client.major, 2, `Debian 12's freerdp2-x11 (${w.client.version})`);
  const { plain } = w.accounts;
  const outcome = await launch(w, { user: plain.name, password: plain.password });
  t.is(outcome.error, undefined, JSON.stringify(outcome.error));
  t.true(outcome.ms >= FREERDP_GRACE_MS);
  t.true(alive(outcome.pid), 'FreeRDP runs on after the watch');
  t.is(await xrdpSignIn(w, plain.name), 'successful');
  const command = readFileSync(`/proc/${outcome.pid}/cmdline`, 'utf8');
  t.false(command.includes(plain.password), 'the password is not on the command line');
  t.log(`right password: FreeRDP ${w.client.version} still running after ${outcome.ms} ms; xrdp: login successful for user ${plain.name}`);
});

it('the real FreeRDP with a wrong password: xrdp refuses the sign-in inside its session, FreeRDP 2 stays connected (no exit code to read)', async (t) => {
  const w = await getWorld();
  const { plain } = w.accounts;
  // Another account than the right-password case, so that the two xrdp log lines cannot be confused.
  const user = w.accounts.space;
  const outcome = await launch(w, { user: user.name, password: `${user.password}x` });
  t.is(await xrdpSignIn(w, user.name), 'failed');
  // xrdp 0.9 has no NLA: it checks the password after the connection is up and puts up its
  // own login screen when it is wrong, so the client has nothing to exit with.
  t.is(outcome.error, undefined);
  t.true(alive(outcome.pid));
  t.not(plain.name, user.name);
  t.log(`wrong password: FreeRDP still running after ${outcome.ms} ms; xrdp: login failed for user ${user.name}`);
});

it('a port that refuses the connection: FreeRDP exits 147 and twinbox says the connection failed, with FreeRDP\'s last line', async (t) => {
  const w = await getWorld();
  const closed = await freePort();
  const outcome = await launch(w, { user: w.accounts.plain.name, password: w.accounts.plain.password, port: closed });
  t.is(outcome.error?.exitCode, 147);
  t.regex(outcome.error!.message, /^FreeRDP could not open "Report Viewer" through RDP RemoteApp \(exit 147: connection failed: the connection was refused or dropped \(transport failed\)\)/);
  t.regex(outcome.error!.message, /\): \[ERROR\]\[com\.freerdp\.core\] - .*ERRCONNECT_CONNECT_TRANSPORT_FAILED/, "with FreeRDP's own reason");
  t.regex(outcome.error!.hint!, new RegExp(`nothing usable answered RDP at 127\\.0\\.0\\.1:${closed}`));
  t.true(outcome.ms < FREERDP_GRACE_MS);
  t.log(`refused port: exit ${outcome.error!.exitCode}; ${outcome.error!.message}`);
});

it('a missing /drive: folder: twinbox refuses before launch with its own message; the real FreeRDP given it exits 24 and prints its usage, which twinbox reads as a refused command line', async (t) => {
  const w = await getWorld();
  const missing = { name: 'docs', path: join(w.dir, 'no such folder') };
  const error = t.throws(() => checkDriveFolders(APP, [missing]));
  t.true(isTwinboxError(error));
  t.is(error!.message, `cannot open "Report Viewer" through RDP RemoteApp: the shared folder ${missing.path} (\\\\tsclient\\docs) does not exist on this host`);
  t.log(`missing drive, twinbox: ${error!.message}`);

  // FreeRDP 2 takes a drive *name* that names an existing folder for the path when the path is
  // missing (freerdp_client_add_drive's swap): twinbox runs it where no name is a folder, so a
  // `docs/` in the folder twinbox runs from changes nothing.
  const here = process.cwd();
  const cwdWithDocs = join(w.dir, 'cwd-with-docs');
  mkdirSync(join(cwdWithDocs, 'docs'), { recursive: true });
  process.chdir(cwdWithDocs);
  t.teardown(() => process.chdir(here));
  const outcome = await launch(w, { user: w.accounts.plain.name, password: w.accounts.plain.password, drives: [missing], graceMs: EXIT_WATCH_MS });
  process.chdir(here);
  t.is(outcome.error?.exitCode, 24);
  t.regex(outcome.error!.message, /\(exit 24: command line not accepted \(a value FreeRDP refused, such as a \/drive: folder that does not exist\)\): \[ERROR\]\[com\.winpr\.commandline\] - Failed at index \d+ \[\/drive:docs,.*no such folder\]/);
  t.regex(outcome.error!.hint!, /refused its command line \(its usage text is in .*\): check the package's shared folders exist/);
  t.log(`missing drive, FreeRDP: exit 24; ${outcome.error!.message}`);
});

it("user and drive names with ', \", a space and non-ASCII reach the real FreeRDP and xrdp whole: each signs in, each /drive: is accepted", async (t) => {
  const w = await getWorld();
  const cases = [
    { account: w.accounts.apostrophe, folder: "Rapport d'activité" },
    { account: w.accounts.quote, folder: 'say "hi"' },
    { account: w.accounts.comma, folder: 'Bob files' },
    { account: w.accounts.accent, folder: 'Grüße 日本語' },
  ];
  const outcomes = await Promise.all(
    cases.map(async ({ account: user, folder }) => {
      const path = join(w.dir, folder);
      mkdirSync(path, { recursive: true });
      t.true(statSync(path).isDirectory());
      return { user, folder, outcome: await launch(w, { user: user.name, password: user.password, drives: [{ name: 'docs', path }] }) };
    }),
  );
  for (const { user, folder, outcome } of outcomes) {
    t.is(outcome.error, undefined, `${user.name} / ${folder}: ${JSON.stringify(outcome.error)}`);
    t.is(await xrdpSignIn(w, user.name), 'successful', user.name);
    t.log(`user ${JSON.stringify(user.name)}, drive ${JSON.stringify(folder)}: running after ${outcome.ms} ms, login successful`);
  }
});

it('a comma in a /drive: path: twinbox refuses it for FreeRDP 2 naming the comma, because the real client would cut the path there', async (t) => {
  const w = await getWorld();
  const path = join(w.dir, 'a,b');
  mkdirSync(path, { recursive: true });
  const error = t.throws(() => freeRdpArguments(w.client, { address: { host: '127.0.0.1', port: w.port }, user: 'u', program: '/usr/bin/xterm', args: [], name: APP, wmClass: 'w', drives: [{ name: 'docs', path }] }));
  t.is(error!.message, `FreeRDP 2 cannot pass "${path}" in its /drive: option: the comma (,) splits /drive: (FreeRDP 2 has no quoting for it)`);
  // What the real client does with it: /drive:docs,<dir>/a,b is read as the folder <dir>/a (missing) → exit 24.
  const outcome = await launch(w, { user: w.accounts.plain.name, password: w.accounts.plain.password, rawArgs: (args) => [...args.slice(0, -2), `/drive:docs,${path}`, ...args.slice(-2)], graceMs: EXIT_WATCH_MS });
  t.is(outcome.error?.exitCode, 24);
  t.log(`comma in a drive path: twinbox: ${error!.message}; raw FreeRDP: exit 24`);
});

it('a server that accepts the connection and drops it: FreeRDP ends within the watch, and twinbox says the connection failed with FreeRDP\'s reason', async (t) => {
  const w = await getWorld();
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as { port: number }).port;
  const outcome = await launch(w, { user: w.accounts.plain.name, password: w.accounts.plain.password, port });
  t.truthy(outcome.error, 'FreeRDP ended within the two-second watch');
  t.true(outcome.ms < FREERDP_GRACE_MS);
  t.regex(outcome.error!.message, /^FreeRDP could not open "Report Viewer" through RDP RemoteApp \(exit \d+: connection failed/);
  t.regex(outcome.error!.message, /\): \[ERROR\]/, "with FreeRDP's own line");
  t.log(`dropped connection: exit ${outcome.error!.exitCode}; ${outcome.error!.message}`);
});

it('a shared folder with a newline in its name reaches the real FreeRDP whole (FreeRDP 2 takes it as it is)', async (t) => {
  const w = await getWorld();
  const path = join(w.dir, 'line\nbreak');
  mkdirSync(path, { recursive: true });
  const outcome = await launch(w, { user: w.accounts.plain.name, password: w.accounts.plain.password, drives: [{ name: 'docs', path }] });
  t.is(outcome.error, undefined, JSON.stringify(outcome.error));
  t.log(`folder with a newline: running after ${outcome.ms} ms`);
});
