import test from 'ava';
import { hyperv } from '../support/harness.js';
import { DEMO_VM_ID } from '../transcripts/hyperv-steps.js';

const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID, 'channel:org.qemu.guest_agent.0': '\\\\.\\pipe\\twinbox-demo' } };

test('from WSL the COM port pipe cannot be opened: a clear error says to run on Windows', async (t) => {
  const { plugin } = hyperv(t, [], { host: 'wsl' });
  const error = await t.throwsAsync(plugin.openChannel(ref, 'org.qemu.guest_agent.0'));
  t.like(error, { code: 'channel-unreachable', hint: 'run twinbox from Windows (PowerShell or cmd) to talk to the guest' });
  t.regex(error!.message, /\\\\\.\\pipe\\twinbox-demo.*which WSL cannot open/);
});

test('a channel the VM was not created with is channel-not-found', async (t) => {
  const { plugin } = hyperv(t, []);
  await t.throwsAsync(plugin.openChannel(ref, 'com.example.other'), { code: 'channel-not-found' });
});

(process.platform === 'win32' ? test : test.skip)(`on Windows a pipe nobody serves (VM stopped) is channel-unavailable${process.platform === 'win32' ? '' : ' (skipped: needs Windows named pipes)'}`, async (t) => {
  const { plugin } = hyperv(t, []);
  const missing = { ...ref, data: { ...ref.data, 'channel:org.qemu.guest_agent.0': `\\\\.\\pipe\\twinbox-test-${process.pid}` } };
  await t.throwsAsync(plugin.openChannel(missing, 'org.qemu.guest_agent.0'), { code: 'channel-unavailable' });
});
