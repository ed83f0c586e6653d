import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runningVm } from './helpers/running-vm.js';

// A machine without socat: this file's worker (and the guest processes it starts) look on an
// empty PATH. Programs the tests run through the agent are named by absolute path.
const emptyPath = mkdtempSync(join(tmpdir(), 'tbx-no-socat-'));
process.env.PATH = emptyPath;
test.after.always(() => rmSync(emptyPath, { recursive: true, force: true }));

test('without socat the fake says so and its VMs have no console ports, while the agent works as before', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const detected = await env.fake.detect();
  t.true(detected.usable);
  t.is(detected.reason, 'built-in simulated hypervisor: runs no real guest; no console ports for terminal apps (socat is not installed on this machine: apt-get install socat)');
  t.is(detected.details?.socat, 'not installed');

  const error = await t.throwsAsync(env.fake.openChannel(vm, 'console0'));
  t.like(error, {
    code: 'no-console-port',
    message: `VM ${vm.id} has no console ports (socat is not installed on this machine)`,
    hint: 'install socat (apt-get install socat), then restart the VM',
  });
  const agent = await connect();
  t.is((await agent.exec('/bin/sh', ['-c', 'exit 4'])).exitcode, 4);
});
