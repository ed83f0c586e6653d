import test from 'ava';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_CHANNEL, eventually, fakeEnv, makeVm, processAlive } from './helpers/fake-fixture.js';
import { runningVm } from './helpers/running-vm.js';
import { TinyQgaClient } from './helpers/tiny-qga-client.js';

test('a crashed VM cannot be reached, and starts again', async (t) => {
  const { env, vm } = await runningVm(t, { faults: { crashAfterMs: 200 } });
  t.true(await eventually(async () => (await env.fake.state(vm)).state === 'crashed'));
  const error = await t.throwsAsync(env.fake.openChannel(vm, AGENT_CHANNEL));
  t.like(error, { code: 'vm-not-running' });
  await env.fake.setFaults(vm, { crashAfterMs: undefined });
  // The crash left its socket file behind; the new boot must not trip over it.
  await env.fake.start(vm, { timeoutMs: 20_000 });
  const status = await env.fake.state(vm);
  t.is(status.state, 'running');
  t.is(status.reason, 'booted');
  const client = new TinyQgaClient(await env.fake.openChannel(vm, AGENT_CHANNEL));
  t.teardown(() => client.close());
  t.is(await client.sync(5), 5);
});

test('a guest process killed behind the plugin’s back reads crashed', async (t) => {
  const { env, vm } = await runningVm(t);
  const { pid } = await env.fake.state(vm);
  process.kill(pid as number, 'SIGKILL');
  t.true(await eventually(async () => (await env.fake.state(vm)).state === 'crashed'));
  t.is((await env.fake.state(vm)).reason, `guest process ${pid} exited unexpectedly`);
  t.deepEqual(await env.fake.stop(vm), { how: 'already-stopped' });
  t.is((await env.fake.state(vm)).state, 'stopped');
});

test('a stale pid now used by another program is not taken for the VM, nor signalled', async (t) => {
  const env = await fakeEnv(t);
  const { vm } = await makeVm(t, env);
  const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.teardown(() => {
    stranger.kill('SIGKILL');
  });
  await new Promise((resolve) => stranger.once('spawn', resolve));
  const recordPath = join(vm.vmDir, 'fake-vm.json');
  const record = JSON.parse(await readFile(recordPath, 'utf8')) as Record<string, unknown>;
  await writeFile(recordPath, JSON.stringify({ ...record, state: 'running', reason: 'booted', pid: stranger.pid }));

  const status = await env.fake.state(vm);
  t.is(status.state, 'crashed');
  t.is(status.reason, `guest process ${stranger.pid} exited unexpectedly`);
  await env.fake.remove(vm);
  t.true(await processAlive(stranger.pid as number), 'the unrelated process was left alone');
});

test('a VM that dies while paused reads crashed, and starts again', async (t) => {
  const { env, vm } = await runningVm(t);
  await env.fake.pause(vm);
  const { pid } = await env.fake.state(vm);
  process.kill(pid as number, 'SIGKILL');
  t.true(await eventually(async () => (await env.fake.state(vm)).state === 'crashed'));
  await env.fake.start(vm, { timeoutMs: 20_000 });
  t.is((await env.fake.state(vm)).state, 'running');
});
