import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { VmStatus } from 'twinbox/plugin-api';
import { ExecaCommandRunner } from '../../../src/core/process/execa-runner.js';
import { FakeHypervisor } from '../../../plugins/fake/index.js';
import { AGENT_CHANNEL, fakeEnv, makeVm, realClock, type FakeEnv } from './helpers/fake-fixture.js';
import { TinyQgaClient } from './helpers/tiny-qga-client.js';

const secondProcess = fileURLToPath(new URL('./helpers/second-process.js', import.meta.url));

interface Seen {
  status: VmStatus;
  ping?: unknown;
  vms: Record<string, string>;
  pid: number;
}

/** Runs the built plugin in another node process over the same folders. */
async function inOtherProcess(env: FakeEnv, command: 'start' | 'inspect', vm: { id: string; vmDir: string }): Promise<Seen> {
  const { stdout } = await promisify(execFile)(process.execPath, [secondProcess, command, JSON.stringify({ paths: env.paths, vm })], {
    timeout: 30_000,
  });
  return JSON.parse(stdout) as Seen;
}

test('a VM started by another process is running here, and answers the guest agent', async (t) => {
  const env = await fakeEnv(t);
  const { vm } = await makeVm(t, env);
  const seen = await inOtherProcess(env, 'start', vm);
  t.is(seen.status.state, 'running');
  t.deepEqual(seen.ping, {});
  t.not(seen.pid, process.pid);

  // A fresh plugin instance, as a later CLI invocation would make.
  const here = new FakeHypervisor(new ExecaCommandRunner(), env.paths, realClock);
  const status = await here.state(vm);
  t.is(status.state, 'running');
  t.is(status.pid, seen.status.pid, 'the same guest process');
  const client = new TinyQgaClient(await here.openChannel(vm, AGENT_CHANNEL));
  t.teardown(() => client.close());
  await client.sync();
  t.deepEqual(await client.call('guest-ping'), {});
  t.deepEqual(await here.stop(vm), { how: 'graceful' }, 'and this process can stop it');
});

test('another process sees a VM started here and the VMs this plugin made', async (t) => {
  const env = await fakeEnv(t);
  const { vm } = await makeVm(t, env, { start: true });
  const other = await makeVm(t, env);
  const status = await env.fake.state(vm);
  const seen = await inOtherProcess(env, 'inspect', vm);
  t.is(seen.status.state, 'running');
  t.is(seen.status.pid, status.pid);
  t.deepEqual(seen.ping, {});
  t.deepEqual(seen.vms, { [vm.id]: vm.vmDir, [other.vm.id]: other.vm.vmDir });

  await env.fake.pause(vm);
  t.is((await inOtherProcess(env, 'inspect', vm)).status.state, 'paused', 'a state change is seen there too');
  await env.fake.remove(vm);
  const gone = await inOtherProcess(env, 'inspect', vm);
  t.is(gone.status.state, 'not-created');
  t.deepEqual(gone.vms, { [other.vm.id]: other.vm.vmDir });
});
