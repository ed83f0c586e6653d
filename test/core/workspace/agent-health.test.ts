import test from 'ava';
import { runSetup } from '../../../src/core/setup/setup-workspace.js';
import { agentHealth } from '../../../src/core/workspace/agent-health.js';
import { snapshotName, snapshotWorkspace } from '../../../src/core/workspace/snapshot-workspace.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { openWorkspace } from '../../../src/core/workspace/open-workspace.js';
import { testHome } from './helpers/installed-workspace.js';

test('a running workspace\'s guest agent answers a ping with its round trip; a stopped one says why not', async (t) => {
  const home = testHome(t);
  await home.install();
  await runSetup(home.core(), 'office');
  const health = await agentHealth(home.core(), 'office', 5000);
  t.true(health.ok);
  if (health.ok) t.true(health.rttMs >= 0);
  await stopWorkspace(home.core(), 'office', { force: true });
  const stopped = await agentHealth(home.core(), 'office', 5000);
  t.false(stopped.ok);
});

test('a workspace that was never set up reports no agent, with the reason', async (t) => {
  const home = testHome(t);
  await home.install();
  const health = await agentHealth(home.core(), 'office', 1000);
  t.deepEqual(health, { ok: false, reason: 'workspace "office" has no VM yet: first-time setup has not run' });
});

test('a snapshot is taken under the workspace lock and named by the time', async (t) => {
  const home = testHome(t);
  await home.install();
  await runSetup(home.core(), 'office');
  t.is(snapshotName(Date.UTC(2026, 11, 1, 7, 45, 1)), 'snap-20261201-074501');
  const taken = await snapshotWorkspace(home.core(), 'office', 'before-update');
  t.deepEqual(taken, { workspace: 'office', snapshot: 'before-update' });
  const ws = openWorkspace(home.core(), 'office');
  const snapshots = await home.fake().listSnapshots(ws.entry().vm!);
  t.deepEqual(snapshots.map((snapshot) => snapshot.name), ['before-update']);
});
