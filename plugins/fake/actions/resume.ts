import { resolve } from 'node:path';
import type { OperationOptions, VmRef } from 'twinbox/plugin-api';
import { fakeErrors } from '../driver/errors.js';
import { withOperationLock } from '../driver/operation-lock.js';
import { currentStatus } from '../driver/vm-status.js';
import type { FakeContext } from '../provider.js';
import { unpause } from './pause.js';
import { launchVm } from './start.js';

/** A paused VM is thawed; a suspended one boots from its saved state. */
export async function resume(context: FakeContext, vm: VmRef, options: OperationOptions = {}): Promise<void> {
  await withOperationLock(vm, async () => {
    const { record, status } = await currentStatus(resolve(vm.vmDir));
    if (!record) throw fakeErrors.vmNotFound(vm.id);
    if (status.state === 'paused' && record.pid !== undefined) {
      await unpause(vm, record.pid);
      return;
    }
    switch (status.state) {
      case 'running':
        return;
      case 'suspended':
        await launchVm(context, vm, options, true);
        return;
      default:
        throw fakeErrors.invalidState(vm.id, status.state, 'resume', 'only a paused or suspended VM can be resumed; start it instead');
    }
  });
}
