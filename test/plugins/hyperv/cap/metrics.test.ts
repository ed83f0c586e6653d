import test from 'ava';
import { hyperv } from '../support/harness.js';
import { DEMO_VM_ID, HyperVSteps } from '../transcripts/hyperv-steps.js';

const ps = new HyperVSteps();
const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID } };

test('a running VM’s figures are Hyper-V’s own: CPUUsage and MemoryAssigned from Get-VM', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Running', { CPUUsage: 17, MemoryAssigned: 2147483648 })]);
  t.like(await plugin.metrics(ref), { cpuPercent: 17, memoryBytes: 2147483648 });
  t.notThrows(() => runner.assertDone());
});

test('a VM that is off or saved has no figures; one with dynamic memory not yet assigned has CPU only', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Off'), ps.vmInfo('Saved'), ps.vmInfo('Running', { CPUUsage: 0, MemoryAssigned: 0 })]);
  t.is(await plugin.metrics(ref), undefined);
  t.is(await plugin.metrics(ref), undefined);
  const figures = await plugin.metrics(ref);
  t.is(figures?.cpuPercent, 0);
  t.false('memoryBytes' in (figures ?? {}));
  t.notThrows(() => runner.assertDone());
});
