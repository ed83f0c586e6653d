/**
 * The host-stream state on the real output of `twinbox status --json --watch`: this checkout's
 * CLI runs on a home of fake-hypervisor workspaces, its lines are recorded as they come (a stop
 * made meanwhile among them), then replayed into the state: lines in, rows out. Then a dropped
 * stream and a host with a too-old twinbox.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { applyLine, backoffMs, hostFailed, hostProbed, hostReconnecting, hostWorkspaces, initialHostState, type HostStreamState } from '../../../src/core/fleet/host-stream-state.js';
import { checkRemoteVersion, parseHostAddress } from '../../../src/core/remote/ssh-host.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { hostPanelLines } from '../../../src/ui/dashboard/views/host-panel.js';
import type { TwinboxError } from '../../../src/plugin-api/index.js';
import { TWINBOX_BIN } from '../../helpers/cli.js';
import { fleet } from '../../ui/dashboard/helpers/fleet.js';

const symbols = { ascii: false, ellipsis: '…', ok: '✓', fail: '✗', warning: '▲' };

/** Runs `status --json --watch` on the home while `during` runs, recording every line it prints. */
async function record(env: NodeJS.ProcessEnv, during: (lines: string[]) => Promise<void>): Promise<{ lines: string[]; exitCode: number | null }> {
  const child = spawn(process.execPath, [TWINBOX_BIN, 'status', '--json', '--watch', '--interval', '0.2'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  reader.on('line', (line) => lines.push(line));
  const ended = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await during(lines);
  } finally {
    child.kill('SIGTERM');
  }
  return { lines, exitCode: await ended };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const replay = (state: HostStreamState, lines: readonly string[]) => lines.reduce(applyLine, state);
const rowsOf = (state: HostStreamState) => hostWorkspaces(state).map((status) => [status.name, status.state]);

test('recorded status --json --watch lines make the rows: the first list once synced, then each change', async (t) => {
  const home = await fleet(t);
  const { lines, exitCode } = await record(home.env, async (seen) => {
    await until(() => seen.some((line) => line.includes('"synced"')), 'the synced line');
    await stopWorkspace(home.core(), 'office', { timeoutMs: 10_000 });
    await until(() => seen.slice(seen.findIndex((line) => line.includes('"synced"'))).some((line) => line.includes('"stopped"')), "office's stop");
  });
  t.is(exitCode, 0, 'the stream ends with 0 on SIGTERM');
  const synced = lines.findIndex((line) => JSON.parse(line).type === 'synced');
  t.true(synced >= 2, lines.join('\n'));

  const probed = hostProbed(initialHostState('lab-host', 'ssh://lab-host'), '0.1.0', 3.4);
  // Before the synced line nothing shows: a half-read list is not the host's list.
  const half = replay(probed, lines.slice(0, synced));
  t.is(half.phase, 'connecting');
  t.deepEqual(rowsOf(half), []);
  const first = replay(probed, lines.slice(0, synced + 1));
  t.is(first.phase, 'live');
  t.deepEqual(rowsOf(first), [['lab', 'not-created'], ['office', 'running']]);
  const after = replay(first, lines.slice(synced + 1));
  t.deepEqual(rowsOf(after), [['lab', 'not-created'], ['office', 'stopped']]);
  t.is(after.badLines, 0);
  t.deepEqual(hostPanelLines([after], undefined, 80, symbols), [{ text: '✓ lab-host live · 3 ms · twinbox 0.1.0 · 2 workspaces', role: 'muted' }]);

  // A removed line (what the stream says of an uninstalled workspace) takes the row away; a stray line is counted, not shown.
  const removed = replay(after, [JSON.stringify({ type: 'removed', name: 'lab', scope: 'user' }), 'Warning: something printed to stdout']);
  t.deepEqual(rowsOf(removed), [['office', 'stopped']]);
  t.is(removed.badLines, 1);
});

test('a dropped stream shows no rows, says why with the fix, and retries with a growing wait', async (t) => {
  const home = await fleet(t);
  const { lines } = await record(home.env, async (seen) => until(() => seen.some((line) => line.includes('"synced"')), 'the synced line'));
  const live = replay(hostProbed(initialHostState('lab-host', 'ssh://lab-host'), '0.1.0', 12), lines);
  t.is(rowsOf(live).length, 2);
  const dropped = hostFailed(live, { code: 'host-unreachable', message: 'cannot reach ssh://lab-host (ssh: connect to host lab-host port 22: Connection refused)', hint: 'is sshd listening on lab-host:22?' }, 1000, 3000);
  t.is(dropped.phase, 'unreachable');
  t.deepEqual(rowsOf(dropped), []);
  t.deepEqual(
    hostPanelLines([dropped], 0, 60, symbols).map((line) => line.text),
    [
      '✓ local    this machine · 0 workspaces',
      '✗ lab-host unreachable: cannot reach ssh://lab-host (ssh:',
      '           connect to host lab-host port 22: Connection ref…',
      '           fix: is sshd listening on lab-host:22?',
    ],
  );
  // Reconnected: the new list replaces the old once synced.
  const back = replay(hostProbed(dropped, '0.1.0', 5), lines);
  t.is(back.phase, 'live');
  t.is(rowsOf(back).length, 2);
  t.deepEqual([1, 2, 3, 4, 5, 6, 9].map((attempt) => backoffMs(attempt, false)), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  t.is(backoffMs(1, true), 60_000);
});

test('a host with a too-old twinbox is refused with the reason and the fix', (t) => {
  const target = parseHostAddress('ssh://ops@old-box:2222');
  const error = t.throws<TwinboxError>(() => checkRemoteVersion(target, '0.0.9\n', '0.1.0'))!;
  t.is(error.code, 'host-version');
  const refused = hostFailed(initialHostState('old-box', target.address), { code: error.code, message: error.message, hint: error.hint }, 0, 60_000);
  t.is(refused.phase, 'refused');
  const text = hostPanelLines([refused], undefined, 80, symbols).map((line) => line.text);
  t.deepEqual(text, [
    '✗ old-box refused: ssh://ops@old-box:2222 runs twinbox 0.0.9, older than this',
    '          twinbox 0.1.0 can drive (0.1.0 or newer, 0.x)',
    '          fix: upgrade twinbox on that host (npm install --global twinbox@0) to',
    '               use it from here',
  ]);
});

test('a host asked again keeps its reason on screen until it answers', (t) => {
  const failed = hostFailed(initialHostState('lab-host', 'ssh://lab-host'), { code: 'host-unreachable', message: 'cannot reach ssh://lab-host (Connection refused)' }, 0, 1000);
  const retrying = hostReconnecting(failed);
  t.is(retrying.phase, 'unreachable');
  t.is(retrying.error?.message, 'cannot reach ssh://lab-host (Connection refused)');
  t.is(hostProbed(retrying, '0.1.0', 2).phase, 'connecting', 'reachable again: waiting for its list');
  t.is(hostReconnecting(initialHostState('lab-host', 'ssh://lab-host')).phase, 'connecting');
});
