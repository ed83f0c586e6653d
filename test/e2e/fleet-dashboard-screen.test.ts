/**
 * The dashboard over a fleet of real SSH hosts (Debian's sshd on loopback ports, each its own
 * throwaway user and twinbox home): the `hosts` setting names three, the dashboard runs in a
 * real pseudo-terminal, read by a real terminal emulator, and every step is a whole screen.
 * Host A is live and is acted on from the dashboard, and its end of the stream is killed (the
 * dashboard connects again by itself); host B answers with a changed host key and is refused
 * with OpenSSH's message; host C is killed mid-session and shows as unreachable while the rest
 * stays live.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { run, type Run } from '../helpers/processes.js';
import { masks } from '../helpers/screen/masks.js';
import { PtyScreen } from '../helpers/screen/pty-screen.js';
import { terminalRestored } from '../helpers/screen/restored.js';
import { startSshd, whyNoSshd } from '../helpers/sshd.js';
import { sshConfig } from './helpers/ssh-config.js';

const why = whyNoSshd();
const serial = why === undefined ? test.serial : test.serial.skip;
// CI runs as root with openssh-server installed: there a missing sshd is a failure, not a skip.
if (why !== undefined && process.env.CI) test('a real sshd is here for the fleet dashboard tests', (t) => t.fail(`cannot run them: ${why}`));
else if (why !== undefined) console.log(`fleet dashboard tests skipped: ${why}`);

const SCREEN_ENV = { LANG: 'C.UTF-8', LC_ALL: undefined, LC_CTYPE: undefined, NO_COLOR: '1', TERM: 'xterm-256color' };

/** The `twinbox status --json --watch` processes running as `uid` (a throwaway SSH user's), by pid. */
function watchersOf(uid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const owner = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return owner === uid && argv[0] === process.execPath && argv.includes('status') && argv.includes('--watch');
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const twinbox = (args: string[], env: NodeJS.ProcessEnv): Promise<Run> => run(process.execPath, [TWINBOX_BIN, ...args], { env: { CI: '', TWINBOX_HOST: '', ...env } });

serial('the dashboard shows three SSH hosts beside this machine: an action on a host, a changed host key refused, a host killed mid-session', async (t) => {
  t.timeout(300_000);
  const a = await startSshd(t, { prefix: 'tbxfa' });
  const b = await startSshd(t, { prefix: 'tbxfb' });
  const c = await startSshd(t, { prefix: 'tbxfc' });
  const dir = mkdtempSync(join(tmpdir(), 'tbx-fleet-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));

  // Host B's key as recorded here is another key: OpenSSH refuses it as changed.
  const other = join(dir, 'other_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
  const wrongKnownHosts = join(dir, 'known_hosts-wrong');
  writeFileSync(wrongKnownHosts, `[127.0.0.1]:${b.port} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  chmodSync(wrongKnownHosts, 0o600);

  const home = join(dir, 'local');
  const env = {
    TWINBOX_HOME: home,
    TWINBOX_SSH_CONFIG: sshConfig(dir, { 'host-a': { host: a }, 'host-b': { host: b, knownHosts: wrongKnownHosts }, 'host-c': { host: c } }),
    // The hosts' twinbox: this checkout, started by its own node (a non-interactive SSH PATH is short).
    TWINBOX_REMOTE_COMMAND: `${process.execPath} ${TWINBOX_BIN}`,
  };

  // A running demo workspace here, on host A and on host C.
  for (const where of [[], ['--host', 'ssh://host-a'], ['--host', 'ssh://host-c']]) {
    const demo = await twinbox([...where, 'demo', '--fake', '--no-ui'], env);
    t.is(demo.exitCode, 0, demo.stderr);
  }
  const set = await twinbox(['config', 'set', 'hosts', JSON.stringify({ 'host-a': 'ssh://host-a', 'host-b': 'ssh://host-b', 'host-c': 'ssh://host-c' })], env);
  t.is(set.exitCode, 0, set.stderr);

  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'dashboard'], {
    env: { ...process.env, ...env, ...SCREEN_ENV, TWINBOX_HOST: '' },
    columns: 80,
    rows: 24,
    journey: 'fleet-dashboard',
    masks: [...masks(home), [/\bport \d+/g, 'port <n>'], [/:\d{4,5}\?/g, ':<port>?']],
  });
  const live = (text: string) =>
    /host-a +live .* 1 workspace/.test(text) && /host-c +live .* 1 workspace/.test(text) && /host-b +refused: .*host key has changed/.test(text) && /local +demo .*running/.test(text) && /host-c +demo/.test(text);
  await ui.step('01-open', live, 60_000);
  // The round trip (masked in the goldens) is a loopback one: an empty command over the shared connection.
  const buffer = ui.terminal.buffer.active;
  const unmasked = Array.from({ length: ui.terminal.rows }, (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '').join('\n');
  const rtt = /host-a +live · (<1|\d+) ms/.exec(unmasked)?.[1];
  t.truthy(rtt, unmasked);
  t.log(`host-a round trip: ${rtt} ms`);
  t.true(rtt === '<1' || Number(rtt) < 1000, `round trip ${rtt} ms`);

  // Down to host A's demo (local first, then the hosts in the setting's order), and stop it there.
  ui.send('Down');
  await ui.waitFor(/host-a\/demo 1\.0\.0: running/);
  ui.send('S');
  await ui.step('02-stopped-on-host-a', (text) => text.includes('host-a/demo stopped') && /host-a +demo .*stopped/.test(text), 60_000);
  const onA = await twinbox(['--host', 'ssh://host-a', 'status', 'demo', '--json'], env);
  t.is(onA.exitCode, 0, onA.stderr);
  t.is((JSON.parse(onA.stdout) as { state: string }).state, 'stopped', 'the action changed host A');

  // Details of a host's workspace are read on that host: the message names the command.
  ui.send('d');
  await ui.waitFor('details of host-a/demo: `twinbox --host ssh://host-a status demo`');

  // Host A's end of the stream dies (its `status --watch`, killed by pid): the dashboard
  // connects again by itself and host A is live again, with a new stream.
  const watch = watchersOf(a.user.uid);
  t.is(watch.length, 1, 'one stream per host');
  process.kill(watch[0]!, 'SIGKILL');
  await until(() => watchersOf(a.user.uid).some((pid) => pid !== watch[0]), 'a new stream on host A');
  await ui.waitFor((text) => /host-a +live/.test(text) && /host-a +demo .*stopped/.test(text));

  ui.resize(60, 20);
  await ui.step('03-resized-60x20', (text) => /host-a +demo .*stopped/.test(text) && /host-c +live/.test(text));

  // Host C goes away: its row goes, its line says why and what to do, the rest stays live.
  await c.stop();
  await ui.step('04-host-c-unreachable', (text) => /host-c +unreachable: cannot reach ssh:\/\/host-c/.test(text) && /fix: is sshd listening on host-c/.test(text) && !/host-c +demo/.test(text), 60_000);
  ui.resize(80, 24);
  // Wide enough for ssh's whole message.
  await ui.step('05-host-c-unreachable-80x24', (text) => /host-c +unreachable: cannot reach ssh:\/\/host-c .*Connection refused\)/.test(text.replace(/\n\s+/g, ' ')) && /host-a +demo .*stopped/.test(text));

  // The rest is live still: host A's demo started from the dashboard.
  ui.send('s');
  await ui.waitFor((text) => text.includes('host-a/demo is running') && /host-a +demo .*running/.test(text), 60_000);

  ui.send('q');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  terminalRestored(t, ui);

  // --host NAME: that host alone, no row of this machine's.
  const screen = (args: string[], journeyMasks = masks(home)) =>
    new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'dashboard', ...args], { env: { ...process.env, ...env, ...SCREEN_ENV, TWINBOX_HOST: '' }, columns: 80, rows: 24, journey: 'fleet-dashboard', masks: journeyMasks });
  const one = screen(['--host', 'host-a']);
  await one.step('06-one-host', (text) => /host-a +live/.test(text) && /host-a +demo .*running/.test(text) && !/local/.test(text), 60_000);
  one.send('q');
  t.deepEqual(await one.waitForExit(), { exitCode: 0 });
  // A name the setting does not have: one line naming the fix, exit 2.
  const unknown = screen(['--host', 'host-z']);
  t.deepEqual(await unknown.waitForExit(), { exitCode: 2 });
  t.regex(unknown.output, /twinbox: there is no host named "host-z" in the hosts setting \(it names host-a, host-b, host-c\)/);
  t.regex(unknown.output, /hint: give its address \(--host ssh:\/\/\[user@\]host\[:port\]\), or name it: twinbox config set hosts/);
  terminalRestored(t, unknown);
  await twinbox(['demo', '--remove'], env);
  await twinbox(['--host', 'ssh://host-a', 'demo', '--remove'], env);
});
