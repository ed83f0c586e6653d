import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExecaCommandRunner } from '../../../src/core/process/execa-runner.js';
import { FakeHypervisor } from '../../../plugins/fake/index.js';
import { fakeEnv, makeVm, processAlive, realClock } from './helpers/fake-fixture.js';
import { runningVm } from './helpers/running-vm.js';
import { TinyQgaClient } from './helpers/tiny-qga-client.js';

test('bootDelayMs keeps the VM starting for that long', async (t) => {
  const env = await fakeEnv(t);
  const { vm } = await makeVm(t, env, { faults: { bootDelayMs: 800 } });
  const began = Date.now();
  const starting = env.fake.start(vm, { timeoutMs: 20_000 });
  const seen = new Set<string>();
  let done = false;
  void starting.finally(() => {
    done = true;
  });
  while (!done) {
    seen.add((await env.fake.state(vm)).state);
    await sleep(50);
  }
  await starting;
  t.true(Date.now() - began >= 800, 'start waited for the boot');
  t.true(seen.has('starting'), `observed states: ${[...seen].join(', ')}`);
  t.is((await env.fake.state(vm)).state, 'running');
});

test('a start that outlasts its timeout fails clearly and leaves nothing running', async (t) => {
  const env = await fakeEnv(t);
  const { vm } = await makeVm(t, env, { faults: { bootDelayMs: 5_000 } });
  const error = await t.throwsAsync(env.fake.start(vm, { timeoutMs: 500 }));
  t.like(error, { code: 'start-timeout', exit: 'timeout' });
  const status = await env.fake.state(vm);
  t.is(status.state, 'stopped');
  t.regex(status.reason, /did not report running/);
});

test('startFailure: start fails with the message, the VM stays stopped, and clearing it lets it start', async (t) => {
  const env = await fakeEnv(t);
  const { vm } = await makeVm(t, env, { faults: { startFailure: 'cannot open disk: simulated I/O error' } });
  const error = await t.throwsAsync(env.fake.start(vm, { timeoutMs: 20_000 }));
  t.true(isTwinboxError(error));
  t.like(error, { code: 'start-failed' });
  t.regex(error?.message ?? '', /cannot open disk: simulated I\/O error/);
  t.truthy(isTwinboxError(error) && error.hint);
  const status = await env.fake.state(vm);
  t.is(status.state, 'stopped');
  t.regex(status.reason, /cannot open disk: simulated I\/O error/);
  t.is(status.pid, undefined);

  await env.fake.setFaults(vm, { startFailure: undefined });
  await env.fake.start(vm, { timeoutMs: 20_000 });
  t.is((await env.fake.state(vm)).state, 'running');
});

test('agentSilent: connections are accepted but never answered, so a graceful stop ends forced', async (t) => {
  const { env, vm, connect } = await runningVm(t, { faults: { agentSilent: true } });
  const client = await connect();
  await t.throwsAsync(client.sync(1, 500), { message: /timed out/ });
  t.is(client.received.length, 0);
  const began = Date.now();
  t.deepEqual(await env.fake.stop(vm, { timeoutMs: 800 }), { how: 'forced' });
  t.true(Date.now() - began >= 800);
  const status = await env.fake.state(vm);
  t.is(status.state, 'stopped');
  t.regex(status.reason, /did not shut down/);
});

test('agentGarbage: junk comes before every reply, and a resyncing client copes', async (t) => {
  const { connect } = await runningVm(t, { faults: { agentGarbage: true } });
  const client = await connect();
  t.is(await client.sync(31), 31);
  t.deepEqual(await client.call('guest-ping'), {});
  t.like(await client.call('guest-get-osinfo'), { id: 'twinbox-fake' });
  t.true(client.junkLines.length >= 3, `junk seen: ${client.junkLines.length}`);
  const marker = client.received.indexOf(0xff);
  t.true(marker > 0, 'junk precedes the 0xFF of the sync reply');
});

test('crashAfterMs: the guest dies on its own and the VM reads crashed', async (t) => {
  const { env, vm } = await runningVm(t, { faults: { crashAfterMs: 300 } });
  const { pid } = await env.fake.state(vm);
  await sleep(600);
  const status = await env.fake.state(vm);
  t.is(status.state, 'crashed');
  t.is(status.reason, `guest process ${pid} exited unexpectedly`);
  t.false(await processAlive(pid as number));
});

test('slowStopMs: a graceful stop waits for a slow guest, and is forced past the timeout', async (t) => {
  const { env, vm } = await runningVm(t, { faults: { slowStopMs: 700 } });
  let began = Date.now();
  t.deepEqual(await env.fake.stop(vm, { timeoutMs: 5_000 }), { how: 'graceful' });
  t.true(Date.now() - began >= 700, 'the stop waited for the guest');
  t.is((await env.fake.state(vm)).reason, 'shut down gracefully on request');

  await env.fake.setFaults(vm, { slowStopMs: 5_000 });
  await env.fake.start(vm, { timeoutMs: 20_000 });
  began = Date.now();
  t.deepEqual(await env.fake.stop(vm, { timeoutMs: 400 }), { how: 'forced' });
  t.true(Date.now() - began < 4_000, 'the forced stop did not wait for the guest');
  t.is((await env.fake.state(vm)).state, 'stopped');
});

test('faults set while the VM runs apply to the next agent connection', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const before = await connect();
  await before.sync();
  await env.fake.setFaults(vm, { agentSilent: true });
  const after = await connect();
  await t.throwsAsync(after.sync(2, 400));
  const faults = await env.fake.setFaults(vm, { agentSilent: undefined });
  t.false(faults.agentSilent);
  const again = new TinyQgaClient(await env.fake.openChannel(vm, 'org.qemu.guest_agent.0'));
  t.teardown(() => again.close());
  t.is(await again.sync(3), 3);
});

test('setFaults on a missing VM is a clear error', async (t) => {
  const env = await fakeEnv(t);
  const error = await t.throwsAsync(env.fake.setFaults({ id: 'nope', vmDir: `${env.base}/vms/nope` }, { agentSilent: true }));
  t.like(error, { code: 'vm-not-found' });
});

test('a guest program that dies while loading is reported with its error', async (t) => {
  const env = await fakeEnv(t);
  const brokenGuest = join(env.base, 'broken', 'guest', 'main.js');
  await mkdir(join(brokenGuest, '..'), { recursive: true });
  await writeFile(brokenGuest, "throw new TypeError('the guest image is corrupt');\n");
  const broken = new FakeHypervisor(new ExecaCommandRunner(), env.paths, realClock, { guestMain: brokenGuest });
  const { vm } = await makeVm(t, env);
  const error = await t.throwsAsync(broken.start(vm, { timeoutMs: 20_000 }));
  t.like(error, { code: 'start-failed', details: { reason: 'TypeError: the guest image is corrupt' } });
  t.is((await env.fake.state(vm)).reason, 'failed to start: TypeError: the guest image is corrupt');
});
