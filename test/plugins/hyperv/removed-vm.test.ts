import test from 'ava';
import { INIT_SCRIPT } from '../../../plugins/hyperv/driver/powershell-host.js';
import { isVmNotFound, toTwinboxError } from '../../../plugins/hyperv/driver/errors.js';
import { hyperv } from './support/harness.js';
import { DEMO_VM_ID, HyperVSteps } from './transcripts/hyperv-steps.js';
import * as out from './transcripts/powershell-output.js';

// A VM deleted in Hyper-V Manager behind twinbox's back, as Hyper-V's cmdlets report it: by
// category and FullyQualifiedErrorId (out.HYPERV_ERRORS names the transcripts they come from).

const ps = new HyperVSteps();
const ref = { id: 'demo', vmDir: 'C:\\twinbox\\vms\\demo', data: { vmId: DEMO_VM_ID } };
const german = out.vmNotFoundMessage(DEMO_VM_ID, true);

function failure(category: string, errorId: string, error = german) {
  return { ok: false as const, error, category, errorId };
}

test("Get-TwinboxVm takes Get-VM's InvalidParameter,…GetVM for a VM that is gone, by its id, not its message", (t) => {
  t.true(INIT_SCRIPT.includes("[string]$lookupErrors[0].FullyQualifiedErrorId -ne 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM'"));
  t.true(INIT_SCRIPT.includes("-Category ObjectNotFound -ErrorId TwinboxVmNotFound"));
  t.false(/was unable to find|konnte/i.test(INIT_SCRIPT), 'no message text is compared');
});

test("Hyper-V's own not-found ids mean the VM is gone; other ids with the same words do not", (t) => {
  const { getVmNotFound, cmdletVmNotFound, getVmBadArgument } = out.HYPERV_ERRORS;
  t.true(isVmNotFound(failure(getVmNotFound.category, getVmNotFound.errorId)));
  for (const cmdlet of ['StartVM', 'StopVM', 'SaveVM', 'RemoveVM', 'CheckpointVM', 'GetVMSnapshot', 'GetVMNetworkAdapter', 'GetVMHardDiskDrive', 'SetVMFirmware']) {
    t.true(isVmNotFound(failure(cmdletVmNotFound(cmdlet).category, cmdletVmNotFound(cmdlet).errorId)), cmdlet);
  }
  // The same English words under another id are not a missing VM.
  t.false(isVmNotFound(failure(getVmBadArgument.category, getVmBadArgument.errorId, out.vmNotFoundMessage(DEMO_VM_ID))));
  t.false(isVmNotFound(failure('ObjectNotFound', 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVMSwitch')), 'a missing switch is not a missing VM');
  t.false(isVmNotFound(failure('InvalidArgument', 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM')));
  const error = toTwinboxError(failure(cmdletVmNotFound('StartVM').category, cmdletVmNotFound('StartVM').errorId), 'start the VM');
  t.is(error.code, 'vm-not-found');
});

test('rights are told by the PermissionDenied category, never by the English sentence', (t) => {
  t.is(toTwinboxError(failure('PermissionDenied', 'Unspecified,Microsoft.HyperV.PowerShell.Commands.StartVM', 'Sie verfügen nicht über die erforderliche Berechtigung, um diese Aufgabe auszuführen.'), 'start the VM').code, 'permission-denied');
  t.is(toTwinboxError(failure('NotSpecified', 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.StartVM', out.NO_PERMISSION), 'start the VM').code, 'hyperv-failed');
});

test('a VM removed in Hyper-V Manager (Get-VM: InvalidParameter,…GetVM, German text) is not-created, and removing it succeeds', async (t) => {
  const { getVmNotFound } = out.HYPERV_ERRORS;
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    { ...ps.fail(ps.vmInfoScript(), german, getVmNotFound.category, getVmNotFound.errorId), note: 'VM removed, raw Get-VM error' },
    { ...ps.fail(ps.removeScript(), german, getVmNotFound.category, getVmNotFound.errorId), note: 'VM removed, raw Get-VM error' },
    ps.deleteFiles(['C:\\twinbox\\vms\\demo\\twinbox-demo.vhdx'], 'C:\\twinbox\\vms\\demo', ''),
  ]);
  t.like(await plugin.state(ref), { state: 'not-created' });
  await t.notThrowsAsync(plugin.remove(ref));
  t.notThrows(() => runner.assertDone());
});
