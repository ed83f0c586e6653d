import test from 'ava';
import { hyperv } from '../support/harness.js';
import { DEMO_VM_ID, HyperVSteps } from '../transcripts/hyperv-steps.js';

const ps = new HyperVSteps();
const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID } };

test('start: Off and Saved start (Start-VM restores a saved VM); Paused resumes; Running is left alone', async (t) => {
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    ps.vmInfo('Off'),
    ps.start(),
    ps.vmInfo('Saved'),
    ps.start(),
    ps.vmInfo('Paused'),
    ps.power('Hyper-V\\Resume-VM -VM $vm;'),
    ps.vmInfo('Running'),
  ]);
  for (let run = 0; run < 4; run++) await plugin.start(ref);
  t.notThrows(() => runner.assertDone());
});

test('start of a VM that is gone says so', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmGone()]);
  await t.throwsAsync(plugin.start(ref), { code: 'vm-not-found' });
  t.notThrows(() => runner.assertDone());
});

test('stop: a guest that does not shut down in time is turned off', async (t) => {
  const { plugin, runner, sleeps } = hyperv(t, [...ps.boot(), ps.vmInfo('Running'), ps.shutdown(), ps.vmInfo('Running'), ps.vmInfo('Running'), ps.turnOff()]);
  t.deepEqual(await plugin.stop(ref, { timeoutMs: 2000 }), { how: 'forced' });
  t.deepEqual(sleeps, [1000, 1000]);
  t.notThrows(() => runner.assertDone());
});

test('stop: force turns off at once; a saved VM loses its saved state; an Off VM is already stopped', async (t) => {
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    ps.vmInfo('Running'),
    ps.turnOff(),
    ps.vmInfo('Saved'),
    ps.power('Hyper-V\\Remove-VMSavedState -VM $vm;'),
    ps.vmInfo('Off'),
    ps.vmInfo('OffCritical'),
  ]);
  t.deepEqual(await plugin.stop(ref, { force: true }), { how: 'forced' });
  t.deepEqual(await plugin.stop(ref), { how: 'forced' });
  t.deepEqual(await plugin.stop(ref), { how: 'already-stopped' });
  t.deepEqual(await plugin.stop(ref), { how: 'already-stopped' });
  t.notThrows(() => runner.assertDone());
});

test('stop: a paused guest is resumed so it can shut down', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Paused'), ps.power('Hyper-V\\Resume-VM -VM $vm;'), ps.shutdown(), ps.vmInfo('Off')]);
  t.deepEqual(await plugin.stop(ref), { how: 'graceful' });
  t.notThrows(() => runner.assertDone());
});

test('stop: a guest that finishes just as it is turned off counts as graceful', async (t) => {
  const failure = { error: "The operation cannot be performed while the object is in its current state.", category: 'InvalidOperation', errorId: 'InvalidState,Microsoft.HyperV.PowerShell.Commands.StopVM' };
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Running'), ps.shutdown(), ps.vmInfo('Stopping'), ps.power('Hyper-V\\Stop-VM -VM $vm -TurnOff -Force;', failure), ps.vmInfo('Off')]);
  t.deepEqual(await plugin.stop(ref, { timeoutMs: 1000 }), { how: 'graceful' });
  t.notThrows(() => runner.assertDone());
});

test('pause (Suspend-VM), suspend (Save-VM), resume from paused (Resume-VM) and from saved (Start-VM)', async (t) => {
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    ps.vmInfo('Running'),
    ps.power('Hyper-V\\Suspend-VM -VM $vm;'),
    ps.vmInfo('Paused'),
    ps.power('Hyper-V\\Resume-VM -VM $vm;'),
    ps.vmInfo('Running'),
    ps.power('Hyper-V\\Save-VM -VM $vm;'),
    ps.vmInfo('Saved'),
    ps.start(),
  ]);
  await plugin.pause(ref);
  await plugin.resume(ref);
  await plugin.suspend(ref);
  await plugin.resume(ref);
  t.notThrows(() => runner.assertDone());
});

test('pause, suspend and resume refuse states they cannot act on', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Off'), ps.vmInfo('Off'), ps.vmInfo('Off')]);
  await t.throwsAsync(plugin.pause(ref), { code: 'invalid-state' });
  await t.throwsAsync(plugin.suspend(ref), { code: 'invalid-state' });
  await t.throwsAsync(plugin.resume(ref), { code: 'invalid-state' });
  t.notThrows(() => runner.assertDone());
});
