import type { OperationOptions, VmRef } from 'twinbox/plugin-api';
import { qemuErrors } from '../driver/errors.js';
import { loadVm } from '../driver/load-vm.js';
import { inspectVm } from '../driver/vm-state.js';
import type { QemuDeps } from '../provider.js';
import { withQmp } from '../qmp/qmp-connection.js';
import { start } from './start.js';

/** Paused → cont; suspended → start (which restores the saved state). */
export async function resume(deps: QemuDeps, vm: VmRef, options: OperationOptions = {}): Promise<void> {
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
        await start(deps, vm, options);
        return;
      }
      // A guest asleep in ACPI S3 wakes up through the monitor.
      await withQmp(config.paths.qmpSocket, (qmp) => qmp.execute('system_wakeup'));
      return;
    default:
      throw qemuErrors.invalidState(vm.id, status.state, 'resume', 'only a paused or suspended VM can be resumed');
  }
}
