import type { VmRef } from 'twinbox/plugin-api';
import { qemuErrors } from '../driver/errors.js';
import { loadVm } from '../driver/load-vm.js';
import { inspectVm } from '../driver/vm-state.js';
import type { QemuDeps } from '../provider.js';
import { withQmp } from '../qmp/qmp-connection.js';

export async function pause(deps: QemuDeps, vm: VmRef): Promise<void> {
  const config = await loadVm(deps, vm);
  const { status } = await inspectVm(deps, config);
  if (status.state === 'paused') return;
  if (status.state !== 'running') throw qemuErrors.invalidState(vm.id, status.state, 'pause', 'only a running VM can be paused');
  await withQmp(config.paths.qmpSocket, (qmp) => qmp.execute('stop'));
}
