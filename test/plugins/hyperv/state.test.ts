import test from 'ava';
import type { VmState } from 'twinbox/plugin-api';
import { hyperv } from './support/harness.js';
import { DEMO_VM_ID, HyperVSteps } from './transcripts/hyperv-steps.js';
import * as out from './transcripts/powershell-output.js';

const ps = new HyperVSteps();
const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID } };

// Microsoft.HyperV.PowerShell.VMState names as $vm.State.ToString() prints them.
const TABLE: readonly [string, VmState][] = [
  ['Running', 'running'],
  ['Off', 'stopped'],
  ['Saved', 'suspended'],
  ['Paused', 'paused'],
  ['Starting', 'starting'],
  ['Stopping', 'stopping'],
  ['Saving', 'suspending'],
  ['Pausing', 'paused'],
  ['Resuming', 'running'],
  ['Reset', 'starting'],
  ['FastSaved', 'suspended'],
  ['FastSaving', 'suspending'],
  ['ForceShutdown', 'stopping'],
  ['ForceReboot', 'starting'],
  ['Hibernated', 'suspended'],
  ['RunningCritical', 'crashed'],
  ['OffCritical', 'crashed'],
  ['StoppingCritical', 'crashed'],
  ['SavedCritical', 'crashed'],
  ['PausedCritical', 'crashed'],
  ['StartingCritical', 'crashed'],
  ['ResetCritical', 'crashed'],
  ['SavingCritical', 'crashed'],
  ['PausingCritical', 'crashed'],
  ['ResumingCritical', 'crashed'],
  ['FastSavedCritical', 'crashed'],
  ['FastSavingCritical', 'crashed'],
  ['Off-Critical', 'crashed'],
  ['Running-Critical', 'crashed'],
  ['Other', 'unknown'],
  ['ComponentServicing', 'unknown'],
];

for (const [hypervState, expected] of TABLE) {
  test(`State "${hypervState}" is ${expected}`, async (t) => {
    const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo(hypervState)]);
    const status = await plugin.state(ref);
    t.is(status.state, expected);
    t.true(status.reason.length > 0);
    if (expected === 'crashed') t.regex(status.reason, new RegExp(`Hyper-V reports ${hypervState}: the VM lost access to its storage`));
    if (expected === 'unknown') t.regex(status.reason, new RegExp(`state ${hypervState}`));
    t.notThrows(() => runner.assertDone());
  });
}

test('an enum that arrives as a number (unconverted Windows PowerShell output) is unknown with the raw value', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo(2)]);
  const status = await plugin.state(ref);
  t.is(status.state, 'unknown');
  t.regex(status.reason, /state 2,/);
  t.notThrows(() => runner.assertDone());
});

test('a VM deleted behind twinbox’s back is not-created, in English or German', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmGone(), ps.vmGone({ german: true })]);
  t.like(await plugin.state(ref), { state: 'not-created' });
  t.like(await plugin.state(ref), { state: 'not-created' });
  t.notThrows(() => runner.assertDone());
});

test('no rights is an error, never "not-created" (Get-VM can find nothing without saying why)', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.fail(ps.vmInfoScript(), out.NO_PERMISSION, 'PermissionDenied', 'TwinboxNoRights,Get-TwinboxVm')]);
  const error = await t.throwsAsync(plugin.state(ref));
  t.like(error, { code: 'permission-denied', exit: 'denied' });
  t.regex(String((error as { hint?: string }).hint), /Hyper-V Administrators/);
  t.notThrows(() => runner.assertDone());
});

test('a ref without a Hyper-V GUID was never created; a damaged one is refused; neither runs PowerShell', async (t) => {
  const { plugin, runner } = hyperv(t, []);
  t.like(await plugin.state({ id: 'demo', vmDir: 'C:\\x' }), { state: 'not-created', reason: 'it was never created in Hyper-V' });
  await plugin.remove({ id: 'demo', vmDir: 'C:\\x' });
  await t.throwsAsync(plugin.start({ id: 'demo', vmDir: 'C:\\x' }), { code: 'vm-not-found' });
  await t.throwsAsync(plugin.listSnapshots({ id: 'demo', vmDir: 'C:\\x' }), { code: 'vm-not-found' });
  await t.throwsAsync(plugin.state({ id: 'demo', vmDir: 'C:\\x', data: { vmId: "x'; Remove-Item C:\\ -Recurse; '" } }), { code: 'vm-ref-invalid' });
  t.deepEqual(runner.calls, []);
});

test('a running VM’s pid is its vmwp.exe worker on Windows; from WSL a Windows pid is left out', async (t) => {
  const windows = hyperv(t, [...ps.boot(), ps.vmInfo('Running'), ps.vmInfo('Saved')]);
  t.like(await windows.plugin.state(ref), { state: 'running', pid: 7316 });
  t.is((await windows.plugin.state(ref)).pid, undefined);
  const wsl = hyperv(t, [...ps.boot(), ps.vmInfo('Running')], { host: 'wsl' });
  t.is((await wsl.plugin.state(ref)).pid, undefined);
  t.notThrows(() => windows.runner.assertDone());
  t.notThrows(() => wsl.runner.assertDone());
});
