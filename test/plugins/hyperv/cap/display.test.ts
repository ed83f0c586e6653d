import test from 'ava';
import { hyperv } from '../support/harness.js';
import { DEMO_VM_ID, HyperVSteps } from '../transcripts/hyperv-steps.js';

const ps = new HyperVSteps();
const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID } };

test('a running VM’s screen is a Virtual Machine Connection window, opened by the VM’s name', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Running')]);
  t.deepEqual(await plugin.display(ref), {
    protocol: 'console',
    address: 'twinbox-demo',
    viewer: 'vmconnect.exe localhost "twinbox-demo"',
    viewerCommand: ['vmconnect.exe', 'localhost', 'twinbox-demo'],
  });
  t.notThrows(() => runner.assertDone());
});

test('a VM renamed in Hyper-V Manager is opened by its name now', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Running', { Name: 'Legacy "Accounts" desk' })]);
  const screen = await plugin.display(ref);
  t.is(screen?.address, 'Legacy "Accounts" desk');
  t.is(screen?.viewer, 'vmconnect.exe localhost "Legacy \\"Accounts\\" desk"');
  t.deepEqual(screen?.viewerCommand, ['vmconnect.exe', 'localhost', 'Legacy "Accounts" desk']);
  t.notThrows(() => runner.assertDone());
});

test('a VM that is off, saved or paused has no screen to open', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Off'), ps.vmInfo('Saved'), ps.vmInfo('Paused')]);
  for (let run = 0; run < 3; run++) t.is(await plugin.display(ref), undefined);
  t.notThrows(() => runner.assertDone());
});

test('display of a VM deleted behind twinbox’s back reports it gone', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmGone()]);
  await t.throwsAsync(plugin.display(ref), { code: 'vm-not-found' });
  t.notThrows(() => runner.assertDone());
});

test('display of a VM never created reports it, without starting PowerShell', async (t) => {
  const { plugin, runner } = hyperv(t, []);
  await t.throwsAsync(plugin.display({ id: 'demo', vmDir: ref.vmDir }), { code: 'vm-not-found' });
  t.notThrows(() => runner.assertDone());
});
