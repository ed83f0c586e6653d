import test from 'ava';
import { hyperv } from './support/harness.js';
import { DEMO_VM_ID, HyperVSteps } from './transcripts/hyperv-steps.js';
import * as out from './transcripts/powershell-output.js';

const ps = new HyperVSteps();
const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID } };

test('PowerShell missing: operations fail with the fix', async (t) => {
  const { plugin, runner } = hyperv(t, [], { which: {} });
  const error = await t.throwsAsync(plugin.start(ref));
  t.like(error, { code: 'powershell-missing' });
  t.regex(String((error as { hint?: string }).hint), /powershell\.exe/);
  t.deepEqual(runner.calls.map((call) => call.argv[0]), ['powershell.exe', 'pwsh.exe', 'pwsh']);
  t.notThrows(() => runner.assertDone());
});

test('permission denied by a cmdlet is a denied error with the Windows text and the group hint', async (t) => {
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    ps.vmInfo('Off'),
    ps.power('Hyper-V\\Start-VM -VM $vm;', { error: out.NO_PERMISSION, category: 'PermissionDenied', errorId: 'Unspecified,Microsoft.HyperV.PowerShell.Commands.StartVM' }),
  ]);
  const error = await t.throwsAsync(plugin.start(ref));
  t.like(error, { code: 'permission-denied', exit: 'denied' });
  t.is(error!.message, `Hyper-V refused to start the VM: ${out.NO_PERMISSION}`);
  t.notThrows(() => runner.assertDone());
});

test('a command that hangs times out, kills the host, and the next command starts a fresh one', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), { ...ps.vmInfo('Running'), hang: true, stdout: '' }, ...ps.boot(), ps.vmInfo('Running')], { commandTimeoutMs: 400 });
  const error = await t.throwsAsync(plugin.state(ref));
  t.like(error, { code: 'timeout', exit: 'timeout', message: 'PowerShell did not answer within 400 ms' });
  t.is((await plugin.state(ref)).state, 'running');
  t.is(runner.calls.filter((call) => call.kind === 'spawn').length, 2);
  t.notThrows(() => runner.assertDone());
});

test('a host that dies mid-command is reported with its stderr, and replaced', async (t) => {
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    { ...ps.vmInfo('Running'), stdout: '', stderr: 'Process is terminated due to StackOverflowException.\r\n', exit: -1073741571 },
    ...ps.boot(),
    ps.vmInfo('Off'),
  ]);
  const error = await t.throwsAsync(plugin.state(ref));
  t.like(error, { code: 'powershell-exited' });
  t.regex(error!.message, /exit code -1073741571.*StackOverflowException/);
  t.is((await plugin.state(ref)).state, 'stopped');
  t.notThrows(() => runner.assertDone());
});

test('a command PowerShell cannot parse gives no envelope: the parser error is reported', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), { ...ps.vmInfo('Running'), stdout: '', stderr: out.PARSE_ERROR }, ps.vmInfo('Running')]);
  const error = await t.throwsAsync(plugin.state(ref));
  t.like(error, { code: 'powershell-failed' });
  t.regex(error!.message, /Missing closing '\}' in statement block/);
  // The host survives a failed command.
  t.is((await plugin.state(ref)).state, 'running');
  t.notThrows(() => runner.assertDone());
});

test('warnings written around the result and Windows PowerShell’s {value, Count} arrays are understood', async (t) => {
  const list = ps.listSnapshots([]);
  const wrapped = out.okOutput({ value: [{ Name: 'before-upgrade', Id: '0b5e7a1c-2d3e-4f50-9a6b-7c8d9e0f1a20', CreationTime: '2026-11-22T08:00:00.0000000Z', SnapshotType: 'Production' }], Count: 1 });
  const { plugin, runner } = hyperv(t, [...ps.boot(), { ...list, stdout: `WARNING: The Hyper-V module is loaded from a remote session.\r\n${wrapped}` }]);
  t.deepEqual(await plugin.listSnapshots(ref), [{ name: 'before-upgrade', createdAt: '2026-11-22T08:00:00.0000000Z' }]);
  t.notThrows(() => runner.assertDone());
});

test('commands from concurrent callers run one at a time, in order, on the one host', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Running'), ps.vmInfo('Paused'), ps.vmInfo('Off')]);
  const states = await Promise.all([plugin.state(ref), plugin.state(ref), plugin.state(ref)]);
  t.deepEqual(states.map((status) => status.state), ['running', 'paused', 'stopped']);
  t.is(runner.calls.filter((call) => call.kind === 'spawn').length, 1);
  t.notThrows(() => runner.assertDone());
});

test('an idle host is closed (exit) and the next command starts a new one', async (t) => {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Running'), ...ps.boot(), ps.vmInfo('Running')], { idleMs: 10 });
  await plugin.state(ref);
  await new Promise((resolve) => setTimeout(resolve, 60));
  await plugin.state(ref);
  t.is(runner.calls.filter((call) => call.kind === 'spawn').length, 2);
  t.notThrows(() => runner.assertDone());
});

test('a host that cannot start (program vanished) is a clear error', async (t) => {
  const { plugin, runner } = hyperv(t, [{ ...ps.spawn(), notFound: true }]);
  await t.throwsAsync(plugin.start(ref), { code: 'powershell-missing' });
  t.notThrows(() => runner.assertDone());
});

test('any other Hyper-V failure keeps its message, category and error id', async (t) => {
  const failure = {
    error: "'twinbox-demo' failed to start.\r\n\r\nSynthetic SCSI Controller (Instance ID 83F8638B-8DCA-4152-9EDA-2CA8B33039B4): Failed to Power on with Error 'The process cannot access the file because it is being used by another process.'",
    category: 'NotSpecified',
    errorId: 'Unspecified,Microsoft.HyperV.PowerShell.Commands.StartVM',
  };
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.vmInfo('Off'), ps.power('Hyper-V\\Start-VM -VM $vm;', failure)]);
  const error = await t.throwsAsync(plugin.start(ref));
  t.like(error, { code: 'hyperv-failed', details: { category: 'NotSpecified', errorId: failure.errorId } });
  t.regex(error!.message, /^Hyper-V could not start the VM: 'twinbox-demo' failed to start/);
  t.notThrows(() => runner.assertDone());
});
