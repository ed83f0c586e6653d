import type { ExecutionContext } from 'ava';
import { AGENT_CHANNEL, fakeEnv, makeVm, type VmOptions } from './fake-fixture.js';
import { TinyQgaClient } from './tiny-qga-client.js';

/** A started fake VM and a way to open agent clients onto it; all cleaned up after the test. */
export async function runningVm(t: ExecutionContext, options: Omit<VmOptions, 'start'> = {}) {
  const env = await fakeEnv(t);
  const made = await makeVm(t, env, { ...options, start: true });
  const connect = async () => {
    const client = new TinyQgaClient(await env.fake.openChannel(made.vm, AGENT_CHANNEL));
    t.teardown(() => client.close());
    return client;
  };
  return { env, ...made, connect };
}
