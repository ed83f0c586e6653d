import type { OperationOptions, VmRef } from 'twinbox/plugin-api';
import type { QemuDeps } from '../deps.js';
import { qemuErrors } from '../errors.js';
import { withQmp } from '../qmp/qmp-connection.js';
import { loadVm } from './load-vm.js';
import { startVm } from './start.js';
import { inspectVm } from './state.js';

export async function pauseVm(deps: QemuDeps, vm: VmRef): Promise<void> {
  const config = await loadVm(deps, vm);
  const { status } = await inspectVm(deps, config);
  if (status.state === 'paused') return;
  if (status.state !== 'running') throw qemuErrors.invalidState(vm.id, status.state, 'pause', 'only a running VM can be paused');
  await withQmp(config.paths.qmpSocket, (qmp) => qmp.execute('stop'));
}

/** Paused → cont; suspended → start (which restores the saved state). */
export async function resumeVm(deps: QemuDeps, vm: VmRef, options: OperationOptions = {}): Promise<void> {
  const config = await loadVm(deps, vm);
  const { status } = await inspectVm(deps, config);
  switch (status.state) {
    case 'running':
      return;
    case 'paused':
      await withQmp(config.paths.qmpSocket, (qmp) => qmp.execute('cont'));
      return;
    case 'suspended':
      if (status.pid === undefined) {
        await startVm(deps, vm, options);
        return;
      }
      // A guest asleep in ACPI S3 wakes up through the monitor.
      await withQmp(config.paths.qmpSocket, (qmp) => qmp.execute('system_wakeup'));
      return;
    default:
      throw qemuErrors.invalidState(vm.id, status.state, 'resume', 'only a paused or suspended VM can be resumed');
  }
}
