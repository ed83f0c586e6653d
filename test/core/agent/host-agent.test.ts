import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import test from 'ava';
import { HostAgent } from '../../../src/core/agent/host-agent.js';
import { readHealthRecord } from '../../../src/core/agent/health-record.js';
import { runHostAgent } from '../../../src/core/agent/run-agent.js';
import { beginSession } from '../../../src/core/apps/app-sessions.js';
import { runApp } from '../../../src/core/apps/run-app.js';
import { EventCodes } from '../../../src/core/events/codes.js';
import type { Core } from '../../../src/core/open-core.js';
import type { Settings } from '../../../src/core/settings/settings.js';
import { acquireLock } from '../../../src/core/workspace/lock.js';
import { openWorkspace } from '../../../src/core/workspace/open-workspace.js';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { ManualClock } from '../setup/helpers/manual-clock.js';
import { workspaceEvents } from '../setup/helpers/events.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

const MINUTE = 60_000;

function settingsOf(core: Core): Settings {
  return core.settings;
}

/** Runs the guest's `hello` command app to its end, as `twinbox run` does. */
async function runHello(core: Core): Promise<void> {
  const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  await runApp(core, 'office', 'hello', io);
}

async function codes(workspaceDir: string): Promise<number[]> {
  return (await workspaceEvents(workspaceDir)).flatMap((event) => (event.code === undefined ? [] : [event.code]));
}

test('the close action waits until the last app has exited and the idle time has passed, then suspends', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  settingsOf(core).set('workspace.idleMinutes', 10);
  const clock = new ManualClock();
  const agent = new HostAgent(core, { clock });

  t.like((await agent.round())[0], { outcome: 'watched', sessions: 0, idleMs: undefined }, 'no app has run yet: a workspace started by hand stays up');
  clock.advance(60 * MINUTE);
  t.like((await agent.round())[0], { outcome: 'watched', idleMs: undefined });

  // An app runs for a while: the workspace is never idle meanwhile.
  const ws = openWorkspace(core, 'office');
  const longRunning = beginSession(ws.layout, { id: 'editor', kind: 'gui' }, clock.now());
  await runHello(core);
  t.like((await agent.round())[0], { outcome: 'watched', sessions: 1 });
  clock.advance(30 * MINUTE);
  t.like((await agent.round())[0], { outcome: 'watched', sessions: 1 });
  longRunning.end();

  t.like((await agent.round())[0], { outcome: 'watched', sessions: 0, idleMs: 0 });
  clock.advance(9 * MINUTE);
  t.like((await agent.round())[0], { outcome: 'watched', idleMs: 9 * MINUTE });
  t.is((await workspaceStatus(core, 'office')).state, 'running');
  clock.advance(MINUTE);
  t.like((await agent.round())[0], { outcome: 'closed', closed: { action: 'suspend', done: 'suspended' }, idleMs: 10 * MINUTE });
  t.is((await workspaceStatus(core, 'office')).state, 'suspended');
  t.like((await agent.round())[0], { outcome: 'not-running' });

  const logged = await codes(h.workspaceDir('office'));
  t.true(logged.includes(EventCodes.closeActionApplied));
  t.true(logged.includes(EventCodes.vmSuspended));
});

test('machine policy dropped while the agent runs is read on its next round: an enforced idle time closes the workspace', async (t) => {
  const h = testHome(t);
  const policyDir = join(h.home, 'etc-twinbox');
  await mkdir(join(policyDir, 'policy.d'), { recursive: true });
  h.env.TWINBOX_POLICY_DIR = policyDir;
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  settingsOf(core).set('workspace.idleMinutes', 30);
  const lines: string[] = [];
  const clock = new ManualClock();
  const agent = new HostAgent(core, { clock, log: (line) => lines.push(line) });
  await runHello(core);
  t.like((await agent.round())[0], { outcome: 'watched', idleMs: 0 });
  clock.advance(5 * MINUTE);
  t.like((await agent.round())[0], { outcome: 'watched', idleMs: 5 * MINUTE }, 'the user setting (30 minutes) holds');

  await writeFile(join(policyDir, 'policy.d', '50-idle.json'), JSON.stringify({ 'workspace.idleMinutes': 5 }));
  t.like((await agent.round())[0], { outcome: 'closed', closed: { action: 'suspend', done: 'suspended' } });
  t.true(lines.includes('machine policy changed: read again'));
  t.is(settingsOf(core).describe('workspace.idleMinutes').source, `policy:${join(policyDir, 'policy.d', '50-idle.json')}`);
  // Unchanged files are not read again, and say nothing more.
  await agent.round();
  t.is(lines.filter((line) => line === 'machine policy changed: read again').length, 1);
});

for (const [action, how, event] of [
  ['shutdown', 'shut down', 'shutting the VM down'],
  ['power-off', 'powered off', 'powering the VM off'],
] as const) {
  test(`the close action ${action} stops the VM (${how}) once the last app has exited, at once with idleMinutes 0`, async (t) => {
    const h = testHome(t);
    await h.install({ manifest: { closeAction: action } });
    const core = h.core();
    await startWorkspace(core, 'office');
    const agent = new HostAgent(core, { clock: new ManualClock() });
    await runHello(core);
    t.like((await agent.round())[0], { outcome: 'closed', closed: { action, done: how } });
    t.is((await workspaceStatus(core, 'office')).state, 'stopped');
    const events = await workspaceEvents(h.workspaceDir('office'));
    t.true(events.some((record) => record.message === event));
  });
}

test('a workspace another process holds is skipped for the round and closed on a later one', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  const agent = new HostAgent(core, { clock: new ManualClock() });
  await runHello(core);
  const lock = acquireLock(join(h.workspaceDir('office'), 'lock'), 'office', 'a long reset');
  t.like((await agent.round())[0], { outcome: 'busy' });
  t.is((await workspaceStatus(core, 'office')).state, 'running');
  lock.release();
  t.like((await agent.round())[0], { outcome: 'closed', closed: { done: 'suspended' } });
});

test('workspaces whose startup is at-logon are started (and set up) when the agent starts; the others are left alone', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office', manifest: { startup: 'at-logon' } });
  await h.install({ name: 'legacy' });
  await h.install({ name: 'kiosk', manifest: { startup: 'at-logon' } });
  const core = h.core();
  await startWorkspace(core, 'kiosk');
  await stopWorkspace(core, 'kiosk');
  const agent = new HostAgent(core, { clock: new ManualClock() });
  t.deepEqual(await agent.startAtLogon(), [
    { workspace: 'kiosk', outcome: 'started' },
    { workspace: 'office', outcome: 'started' },
  ]);
  t.like(await workspaceStatus(core, 'office'), { state: 'running', setup: { state: 'ready' } });
  t.is((await workspaceStatus(core, 'kiosk')).state, 'running');
  t.like(await workspaceStatus(core, 'legacy'), { state: 'not-created', setup: { state: 'pending' } });
  t.true((await codes(h.workspaceDir('office'))).includes(EventCodes.logonStart));
  t.deepEqual(await agent.startAtLogon(), [], 'started once per agent');

  // The user's setting beats the package's default.
  await stopWorkspace(core, 'kiosk');
  settingsOf(core).set('workspace.startup', 'at-first-use');
  t.deepEqual(await new HostAgent(core, { clock: new ManualClock() }).startAtLogon(), []);
  t.is((await workspaceStatus(core, 'kiosk')).state, 'stopped');
});

test('a busy at-logon workspace is started on a later round', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { startup: 'at-logon' } });
  const core = h.core();
  settingsOf(core).set('workspace.startup', 'at-logon');
  const agent = new HostAgent(core, { clock: new ManualClock() });
  const lock = acquireLock(join(h.workspaceDir('office'), 'lock'), 'office', 'install');
  t.deepEqual(await agent.startAtLogon(), [{ workspace: 'office', outcome: 'busy' }]);
  lock.release();
  await agent.round();
  t.is((await workspaceStatus(core, 'office')).state, 'running');
});

test('health checks record the round trip, log once when the guest agent stops answering and once when it answers again', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  const ws = openWorkspace(core, 'office');
  const agent = new HostAgent(core, { clock: new ManualClock(), healthTimeoutMs: 1_000 });

  const healthy = (await agent.round())[0]!;
  t.like(healthy, { outcome: 'watched', health: { reachable: true }, refreshed: { changed: false } });
  t.true(healthy.health!.roundTripMs! > 0);
  t.like(await readHealthRecord(ws.layout), { reachable: true, roundTripMs: healthy.health!.roundTripMs });

  const vm = h.registry().get('office').vm!;
  await h.fake().setFaults(vm, { agentSilent: true });
  t.like((await agent.round())[0], { health: { reachable: false } });
  t.like((await agent.round())[0], { health: { reachable: false } });
  t.like(await readHealthRecord(ws.layout), { reachable: false });
  await h.fake().setFaults(vm, { agentSilent: undefined });
  t.like((await agent.round())[0], { health: { reachable: true }, refreshed: { changed: false } }, 'a reconnection refreshes the catalog');
  t.like((await agent.round())[0], { health: { reachable: true }, refreshed: undefined });

  const logged = await codes(h.workspaceDir('office'));
  t.is(logged.filter((code) => code === EventCodes.agentHealthLost).length, 1);
  t.is(logged.filter((code) => code === EventCodes.agentHealthRecovered).length, 1);
});

test('the catalog is refreshed every publishing.refreshSeconds and follows a removed app', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  settingsOf(core).set('publishing.refreshSeconds', 60);
  const clock = new ManualClock();
  const agent = new HostAgent(core, { clock });
  t.like((await agent.round())[0], { refreshed: { changed: false } });
  await rm(join(h.guestRoot('office'), 'usr', 'share', 'applications', 'editor.desktop'));
  clock.advance(59_000);
  t.like((await agent.round())[0], { refreshed: undefined });
  clock.advance(1_000);
  t.like((await agent.round())[0], { refreshed: { changed: true } });
  t.true((await codes(h.workspaceDir('office'))).includes(EventCodes.appsCatalogChanged));
});

test('one agent per user: a second is refused with exit 75 while the first runs; the first ends on its signal', async (t) => {
  const h = testHome(t);
  const core = h.core();
  const clock = new ManualClock();
  const stop = new AbortController();
  const first = runHostAgent(core, { clock, signal: stop.signal });
  while (clock.pending === 0) await new Promise((resolve) => setImmediate(resolve));
  const second = await t.throwsAsync(runHostAgent(core, { clock, once: true }));
  t.like(second, { code: 'agent-running', exitCode: 75 });
  stop.abort();
  t.like(await first, { rounds: 1 });
  t.like(await runHostAgent(core, { clock, once: true }), { rounds: 1 }, 'the lock went with the first agent');
});
