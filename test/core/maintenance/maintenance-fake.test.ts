import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { HostAgent } from '../../../src/core/agent/host-agent.js';
import { beginSession } from '../../../src/core/apps/app-sessions.js';
import { EventCodes } from '../../../src/core/events/codes.js';
import { collectMetrics } from '../../../src/core/metrics/collect-metrics.js';
import { renderExposition } from '../../../src/core/metrics/exposition.js';
import { readMaintenanceRecord, writeMaintenanceRecord } from '../../../src/core/maintenance/maintenance-record.js';
import { runMaintenance, type MaintenancePolicy } from '../../../src/core/maintenance/run-maintenance.js';
import type { Core } from '../../../src/core/open-core.js';
import type { Settings } from '../../../src/core/settings/settings.js';
import { CoreTokens } from '../../../src/core/tokens.js';
import { openWorkspace } from '../../../src/core/workspace/open-workspace.js';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { suspendWorkspace } from '../../../src/core/workspace/suspend-workspace.js';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { parseExposition, sampleValue } from '../../helpers/prometheus-text.js';
import { ManualClock, settle } from '../setup/helpers/manual-clock.js';
import { workspaceEvents } from '../setup/helpers/events.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

const MINUTE = 60_000;
const MARK = 'echo ran >> "${TWINBOX_GUEST_ROOT:-}/var/log/maintenance-runs"';

function policy(commands: string[], extra: Partial<MaintenancePolicy> = {}): MaintenancePolicy {
  return { commands, windowMs: 60 * MINUTE, commandTimeoutMs: 15 * MINUTE, whenInUse: 'skip', ...extra };
}

async function codes(dir: string): Promise<number[]> {
  return (await workspaceEvents(dir)).flatMap((event) => (event.code === undefined ? [] : [event.code]));
}

async function inState(core: Core, state: 'running' | 'stopped' | 'suspended'): Promise<void> {
  await startWorkspace(core, 'office');
  if (state === 'stopped') await stopWorkspace(core, 'office');
  if (state === 'suspended') await suspendWorkspace(core, 'office');
}

/** A running workspace with an app session open in it (this test process). */
async function runningWithApp(t: ExecutionContext) {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await inState(core, 'running');
  const session = beginSession(openWorkspace(core, 'office').layout, { id: 'editor', kind: 'gui' }, Date.now());
  t.teardown(() => session.end());
  return { h, core, session };
}

for (const state of ['running', 'stopped', 'suspended'] as const) {
  test(`from ${state}: the commands run in the guest, their output is logged, and the workspace is ${state} again`, async (t) => {
    const h = testHome(t);
    await h.install();
    const core = h.core();
    await inState(core, state);
    const outcome = await runMaintenance(core, 'office', { policy: policy([MARK, 'echo second; echo to-stderr >&2']), clock: new ManualClock() });
    t.like(outcome, { result: 'success' });
    t.is(readFileSync(join(h.guestRoot('office'), 'var/log/maintenance-runs'), 'utf8'), 'ran\n');
    t.is((await workspaceStatus(core, 'office')).state, state);
    const events = await workspaceEvents(h.workspaceDir('office'));
    const outputs = events.filter((event) => event.code === EventCodes.maintenanceCommandOutput);
    t.is(outputs.length, 2);
    t.regex(outputs[1]!.message, /second\nto-stderr$/);
    t.true(events.some((event) => event.code === EventCodes.maintenanceSucceeded));
    const status = await workspaceStatus(core, 'office');
    t.like(status.maintenance, { last: { result: 'success' } });
    t.is((await readMaintenanceRecord(openWorkspace(core, 'office').layout)).current, undefined);
  });
}

test('a failing command is logged, reported in status and metrics, and the stopped workspace is put back', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await inState(core, 'stopped');
  const outcome = await runMaintenance(core, 'office', { policy: policy(['echo broken; exit 3', MARK]), clock: new ManualClock() });
  t.like(outcome, { result: 'failed' });
  t.regex(outcome.error!, /command 1 \(echo broken; exit 3\) exited 3/);
  t.false(existsSync(join(h.guestRoot('office'), 'var/log/maintenance-runs')), 'the commands after a failure do not run');
  t.is((await workspaceStatus(core, 'office')).state, 'stopped');
  const logged = await codes(h.workspaceDir('office'));
  t.true(logged.includes(EventCodes.maintenanceCommandFailed));
  t.true(logged.includes(EventCodes.maintenanceFailed));
  t.like((await workspaceStatus(core, 'office')).maintenance, { last: { result: 'failed' } });
  const families = parseExposition(renderExposition(await collectMetrics(core)));
  t.is(sampleValue(families, 'twinbox_maintenance_last_result', { workspace: 'office', result: 'failed' }), 1);
  t.is(sampleValue(families, 'twinbox_maintenance_last_result', { workspace: 'office', result: 'success' }), 0);
  t.true(families.has('twinbox_maintenance_last_duration_seconds'));
});

test('a window that runs out is an overrun: logged, in status and metrics, the rest not run, the workspace put back', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await inState(core, 'suspended');
  const clock = new ManualClock();
  const marker = join(h.guestRoot('office'), 'var/log/started');
  const running = runMaintenance(core, 'office', { policy: policy([`touch "\${TWINBOX_GUEST_ROOT:-}/var/log/started"; sleep 1`, MARK], { windowMs: 10 * MINUTE }), clock });
  while (!existsSync(marker)) await settle();
  clock.advance(11 * MINUTE);
  const outcome = await running;
  t.like(outcome, { result: 'overrun' });
  t.false(existsSync(join(h.guestRoot('office'), 'var/log/maintenance-runs')));
  t.is((await workspaceStatus(core, 'office')).state, 'suspended');
  t.true((await codes(h.workspaceDir('office'))).includes(EventCodes.maintenanceOverrun));
  const families = parseExposition(renderExposition(await collectMetrics(core)));
  t.is(sampleValue(families, 'twinbox_maintenance_last_result', { workspace: 'office', result: 'overrun' }), 1);
});

test('whenInUse skip: a workspace with a live app is skipped and left alone', async (t) => {
  const { h, core } = await runningWithApp(t);
  const outcome = await runMaintenance(core, 'office', { policy: policy([MARK]), clock: new ManualClock() });
  t.like(outcome, { result: 'skipped-in-use' });
  t.false(existsSync(join(h.guestRoot('office'), 'var/log/maintenance-runs')));
  t.true((await codes(h.workspaceDir('office'))).includes(EventCodes.maintenanceSkippedInUse));
});

test('whenInUse wait: the window waits for the app to end, then runs', async (t) => {
  const { h, core, session } = await runningWithApp(t);
  const clock = new ManualClock();
  const running = runMaintenance(core, 'office', { policy: policy([MARK], { whenInUse: 'wait' }), clock });
  while (clock.pending === 0) await settle();
  t.false(existsSync(join(h.guestRoot('office'), 'var/log/maintenance-runs')));
  session.end();
  clock.advance(5_000);
  t.like(await running, { result: 'success' });
  t.true(existsSync(join(h.guestRoot('office'), 'var/log/maintenance-runs')));
  t.true((await codes(h.workspaceDir('office'))).includes(EventCodes.maintenanceWaitingForApps));
});

test('the host agent runs a due window once, and puts back a window whose process died', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await inState(core, 'stopped');
  const settings = core.settings;
  settings.set('maintenance.commands', [MARK]);
  const clock = new ManualClock();
  const agent = new HostAgent(core, { clock });
  const at = new Date(clock.now());
  // A window two minutes from now.
  const slot = new Date(at.getTime() + 2 * MINUTE);
  settings.set('maintenance.schedule', `*-*-* ${slot.getHours()}:${slot.getMinutes()}:${slot.getSeconds()}`);
  t.like((await agent.round())[0], { outcome: 'not-running' });
  t.truthy((await workspaceStatus(core, 'office')).maintenance?.next);
  clock.advance(2 * MINUTE);
  t.like((await agent.round())[0], { outcome: 'maintenance', maintenance: { result: 'success' } });
  t.is((await workspaceStatus(core, 'office')).state, 'stopped');
  t.like((await agent.round())[0], { outcome: 'not-running' }, 'not run again');

  // A window cut short: the record says it was running in a process that is gone.
  await startWorkspace(core, 'office');
  const ws = openWorkspace(core, 'office');
  const record = await readMaintenanceRecord(ws.layout);
  await writeMaintenanceRecord(ws.layout, { ...record, current: { pid: 2 ** 22 + 1, startedAt: at.toISOString(), before: 'stopped', deadline: at.toISOString(), whenInUse: 'skip', phase: 'commands', done: 0 } });
  t.like((await workspaceStatus(core, 'office')).maintenance, { running: { interrupted: true } });
  t.like((await agent.round())[0], { outcome: 'maintenance', maintenance: { result: 'interrupted' } });
  t.is((await workspaceStatus(core, 'office')).state, 'stopped');
  t.true((await codes(h.workspaceDir('office'))).includes(EventCodes.maintenanceRecovered));
});
