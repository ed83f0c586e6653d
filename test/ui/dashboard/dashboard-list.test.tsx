import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import test from 'ava';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { openWorkspace } from '../../../src/core/workspace/open-workspace.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { fleet } from './helpers/fleet.js';
import { KEYS, renderDashboard } from './helpers/dashboard-harness.js';

function row(frame: string, name: string): string {
  return frame.split('\n').find((line) => line.slice(2).startsWith(`${name} `)) ?? '';
}

test('the list shows each workspace with hypervisor, state, guest-agent round trip, apps and setup', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  const frame = await ui.waitFor((shown) => /ok (<1|\d+) ms/.test(row(shown, 'office')));
  t.regex(frame, /NAME +HYPERVISOR +STATE +AGENT +APPS +SETUP +CPU +MEM/);
  t.regex(row(frame, 'office'), /office +fake \(simulated\) +running +ok (<1|\d+) ms +3 ready +- +-/);
  t.regex(row(frame, 'lab'), /lab +- +not-created +- +0 pending/);
  t.regex(frame, /2 workspaces/);
});

test('the list follows changes made by another process without a key press', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((shown) => row(shown, 'office').includes('running'));
  await stopWorkspace(home.core(), 'office', { force: true });
  const frame = await ui.waitFor((shown) => row(shown, 'office').includes('stopped'));
  t.regex(row(frame, 'office'), /stopped +- /, 'a stopped workspace is not pinged');
});

test('slash filters the list by name, Backspace edits the filter and Esc clears it', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((shown) => row(shown, 'lab') !== '');
  await ui.press('/', 'o', 'f');
  let frame = await ui.waitFor('filter: of_');
  t.not(row(frame, 'office'), '');
  t.is(row(frame, 'lab'), '');
  await ui.press('x');
  frame = await ui.waitFor('no workspace matches "ofx"');
  await ui.press(KEYS.backspace, KEYS.enter);
  frame = await ui.waitFor((shown) => shown.includes('filter: of') && !shown.includes('filter: of_'));
  t.is(row(frame, 'lab'), '', 'Enter keeps the filter');
  await ui.press('/', KEYS.escape);
  frame = await ui.waitFor((shown) => row(shown, 'lab') !== '' && !shown.includes('filter:'));
  t.not(row(frame, 'office'), '');
});

test('a workspace another process holds shows as busy with the holder, and its actions are refused as busy, not as errors', async (t) => {
  const home = await fleet(t);
  // A live process other than this one holds the lock, as `twinbox setup` in another terminal would.
  const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
  t.teardown(() => holder.kill());
  const ws = openWorkspace(home.core(), 'office');
  writeFileSync(ws.layout.lockFile, JSON.stringify({ pid: holder.pid, operation: 'setup', since: '2026-12-01T08:00:00.000Z' }));
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((shown) => row(shown, 'office').includes('busy: setup'));
  // lab sorts first: select office, whose summary line names the holder.
  await ui.press('j');
  let frame = await ui.waitFor(`busy: setup by process ${holder.pid} since 2026-12-01T08:00:00.000Z`);
  t.regex(row(frame, 'office'), /busy: setup/);
  await ui.press('S');
  frame = await ui.waitFor(`office is busy: setup by process ${holder.pid}`);
  t.false(frame.includes('✗'), 'busy is not shown as an error');
  t.is((await workspaceStatus(home.core(), 'office')).state, 'running', 'nothing was done');
});

test('an action that fails shows one line with its hint', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((shown) => row(shown, 'lab') !== '');
  // lab sorts first; it has no VM yet, so stopping it fails with the way out.
  await ui.press('S');
  const frame = await ui.waitFor('has no VM yet');
  const line = frame.split('\n').find((shown) => shown.includes('has no VM yet'))!;
  t.regex(line, /^✗ workspace "lab" has no VM yet: first-time setup has not run · hint: run `twinbox setup lab`/);
});

test('q quits at once when nothing runs, and leaves the workspaces running', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((shown) => row(shown, 'office').includes('running'));
  await ui.press('q');
  t.true(ui.exited());
  t.is((await workspaceStatus(home.core(), 'office')).state, 'running');
});
