import test from 'ava';
import { hyperv } from '../support/harness.js';
import { DEMO_VM_ID, HyperVSteps } from '../transcripts/hyperv-steps.js';

const ps = new HyperVSteps();
const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID } };

test('a guest is reached at the first IPv4 address its adapters report, on the same port', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.guestAddresses('Running', ['fe80::215:5dff:fe01:2b0c', '172.27.141.93', 'fd00::93'])]);
  t.deepEqual(await plugin.forwardPort(ref, 3389), { host: '172.27.141.93', port: 3389 });
  t.notThrows(() => runner.assertDone());
});

test('the list as Windows PowerShell 5.1 may wrap it ({value, Count}) is read the same', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.guestAddresses('Running', { value: ['172.27.141.93'], Count: 1 })]);
  t.deepEqual(await plugin.forwardPort(ref, 22), { host: '172.27.141.93', port: 22 });
  t.notThrows(() => runner.assertDone());
});

test('a guest with only IPv6 or a self-assigned 169.254 address, or none reported yet, cannot be reached', async (t) => {
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    ps.guestAddresses('Running', ['fe80::215:5dff:fe01:2b0c']),
    ps.guestAddresses('Running', ['169.254.12.7', 'fe80::215:5dff:fe01:2b0c']),
    ps.guestAddresses('Running', []),
  ]);
  for (let run = 0; run < 3; run++) t.is(await plugin.forwardPort(ref, 3389), undefined);
  t.notThrows(() => runner.assertDone());
});

test('a VM that is not running is not reached, even through addresses still listed', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.guestAddresses('Paused', ['172.27.141.93']), ps.guestAddresses('Off', [])]);
  t.is(await plugin.forwardPort(ref, 3389), undefined);
  t.is(await plugin.forwardPort(ref, 3389), undefined);
  t.notThrows(() => runner.assertDone());
});

test('forwarding to a VM deleted behind twinbox’s back reports it gone', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.guestAddressesGone()]);
  await t.throwsAsync(plugin.forwardPort(ref, 3389), { code: 'vm-not-found' });
  t.notThrows(() => runner.assertDone());
});

test('a guest port that is no TCP port is refused before PowerShell starts', async (t) => {
  const { plugin, runner } = hyperv(t, []);
  for (const port of [0, 70000, 1.5]) await t.throwsAsync(plugin.forwardPort(ref, port), { code: 'invalid-argument', message: /is not a TCP port/ });
  t.notThrows(() => runner.assertDone());
});
