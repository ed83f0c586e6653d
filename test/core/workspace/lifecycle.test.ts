import test from 'ava';
import { EventCodes } from '../../../src/core/events/codes.js';
import { resetWorkspace } from '../../../src/core/workspace/reset-workspace.js';
import { restartWorkspace } from '../../../src/core/workspace/restart-workspace.js';
import { resumeWorkspace } from '../../../src/core/workspace/resume-workspace.js';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { suspendWorkspace } from '../../../src/core/workspace/suspend-workspace.js';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { workspaceEvents } from '../setup/helpers/events.js';
import { testHome } from './helpers/installed-workspace.js';

test('start sets a pending workspace up first; stop, start, suspend, resume and restart move its VM through its states', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  t.like(await workspaceStatus(core, 'office'), { state: 'not-created', setup: { state: 'pending' }, apps: 0 });

  const first = await startWorkspace(core, 'office');
  t.like(first, { was: 'not-created', setup: { alreadyReady: false, apps: 3 } });
  t.like(await workspaceStatus(core, 'office'), { state: 'running', hypervisor: 'fake', simulated: true, setup: { state: 'ready', code: 0 }, apps: 3 });

  t.like(await stopWorkspace(core, 'office', { timeoutMs: 10_000 }), { how: 'graceful' });
  t.like(await workspaceStatus(core, 'office'), { state: 'stopped' });
  t.like(await stopWorkspace(core, 'office'), { how: 'already-stopped' });
  t.like(await t.throwsAsync(suspendWorkspace(core, 'office')), { code: 'vm-not-running' });
  t.like(await t.throwsAsync(resumeWorkspace(core, 'office')), { code: 'vm-not-suspended' });

  t.like(await startWorkspace(core, 'office'), { was: 'stopped', setup: undefined });
  t.like(await startWorkspace(core, 'office'), { was: 'running' });

  t.like(await suspendWorkspace(core, 'office'), { was: 'running' });
  t.like(await workspaceStatus(core, 'office'), { state: 'suspended' });
  t.like(await resumeWorkspace(core, 'office'), { was: 'suspended' });
  t.like(await workspaceStatus(core, 'office'), { state: 'running' });

  t.like(await restartWorkspace(core, 'office', { timeoutMs: 10_000 }), { stopped: 'graceful' });
  t.like(await workspaceStatus(core, 'office'), { state: 'running' });

  const codes = (await workspaceEvents(h.workspaceDir('office'))).map((record) => record.code);
  for (const code of [EventCodes.vmStopping, EventCodes.vmStopped, EventCodes.vmRunning, EventCodes.vmSuspended, EventCodes.vmResumed, EventCodes.vmRestarted, EventCodes.agentConnected]) {
    t.true(codes.includes(code), `event ${code} logged`);
  }
  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});

test('a crashed VM shows as crashed, and one deleted behind twinbox\'s back as not-created with the way out', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { setup: { copyTimeZone: false } } });
  const core = h.core();
  await startWorkspace(core, 'office');
  const vm = h.registry().get('office').vm!;

  const pid = (await h.fake().state(vm)).pid!;
  process.kill(-pid, 'SIGKILL');
  // The kernel tears the process down a moment after the signal: read until it is gone.
  let crashed = await workspaceStatus(core, 'office');
  for (let i = 0; i < 50 && crashed.state === 'running'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    crashed = await workspaceStatus(core, 'office');
  }
  t.is(crashed.state, 'crashed');
  t.regex(crashed.reason, /exited unexpectedly/);
  t.like(await startWorkspace(core, 'office'), { was: 'crashed' });
  t.like(await workspaceStatus(core, 'office'), { state: 'running' });

  await h.fake().remove(vm);
  const gone = await workspaceStatus(core, 'office');
  t.is(gone.state, 'not-created');
  t.regex(gone.reason, /deleted outside twinbox .*twinbox reset office/);
  const refused = await t.throwsAsync(startWorkspace(core, 'office'));
  t.like(refused, { code: 'vm-missing', hint: 'run `twinbox reset office` to make it again from the base image' });

  t.like(await resetWorkspace(core, 'office'), { alreadyReady: false });
  t.like(await workspaceStatus(core, 'office'), { state: 'running', setup: { state: 'ready' } });
  t.true((await workspaceEvents(h.workspaceDir('office'))).some((record) => record.code === EventCodes.vmReset));
  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});

test('a workspace whose hypervisor plugin cannot be used here shows why instead of failing the read', async (t) => {
  const h = testHome(t);
  const entry = await h.install({ name: 'legacy' });
  const registry = h.registry();
  registry.put({ ...entry, hypervisor: 'virtualbox', vm: { id: 'legacy', vmDir: h.workspaceDir('legacy') }, setup: { state: 'ready', code: 0 } });
  const unusable = await workspaceStatus(h.core(), 'legacy');
  t.is(unusable.state, 'unavailable');
  t.regex(unusable.reason, /virtualbox is not usable here: .*VBoxManage/);

  registry.put({ ...entry, hypervisor: 'no-such-plugin', vm: { id: 'legacy', vmDir: h.workspaceDir('legacy') }, setup: { state: 'ready', code: 0 } });
  const missing = await workspaceStatus(h.core(), 'legacy');
  t.is(missing.state, 'unavailable');
  t.regex(missing.reason, /the no-such-plugin hypervisor plugin cannot be used: no hypervisor plugin named "no-such-plugin"/);
});

test('lifecycle commands on a workspace that was never set up say how to set it up', async (t) => {
  const h = testHome(t);
  await h.install();
  for (const operation of [stopWorkspace, suspendWorkspace, resumeWorkspace, restartWorkspace]) {
    const error = await t.throwsAsync(operation(h.core(), 'office'));
    t.like(error, { code: 'workspace-not-set-up', exit: 'usage' });
  }
  t.like(await t.throwsAsync(startWorkspace(h.core(), 'nothing-here')), { code: 'workspace-not-found', exit: 'usage' });
});

test('stop asks the guest agent first and says so; a guest whose agent is silent is stopped by the hypervisor within the time limit', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { setup: { copyTimeZone: false } } });
  const core = h.core();
  await startWorkspace(core, 'office');
  t.like(await stopWorkspace(core, 'office', { timeoutMs: 10_000 }), { how: 'graceful', via: 'guest-agent' });
  const messages = (await workspaceEvents(h.workspaceDir('office'))).filter((record) => record.code === EventCodes.vmStopped).map((record) => record.message);
  t.deepEqual(messages, ['the VM stopped (graceful, shut down through the guest agent)']);

  await startWorkspace(core, 'office');
  t.like(await restartWorkspace(core, 'office', { timeoutMs: 10_000 }), { stopped: 'graceful', stoppedVia: 'guest-agent' });

  // An agent that never answers: its shutdown is given up after a moment, not the graceful time.
  await h.fake().setFaults(h.registry().get('office').vm!, { agentSilent: true });
  const started = Date.now();
  t.like(await stopWorkspace(core, 'office', { timeoutMs: 4_000 }), { how: 'forced', via: 'power-off' });
  t.true(Date.now() - started < 15_000, 'bounded by the time limit');
  t.like(await workspaceStatus(core, 'office'), { state: 'stopped' });
  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});

test('status tells the guest OS its agent reported at setup, and keeps telling it while the VM is stopped', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { setup: { copyTimeZone: false } } });
  const core = h.core();
  t.is((await workspaceStatus(core, 'office')).guestOs, undefined, 'not known before the guest ever answered');
  await startWorkspace(core, 'office');
  const running = await workspaceStatus(core, 'office');
  t.truthy(running.guestOs?.id);
  t.truthy(running.guestOs?.name);
  t.regex(running.guestOs?.seenAt ?? '', /^\d{4}-\d\d-\d\dT/);
  await stopWorkspace(core, 'office', { timeoutMs: 10_000 });
  t.deepEqual((await workspaceStatus(core, 'office')).guestOs, running.guestOs);
  await h.removeVms();
});
