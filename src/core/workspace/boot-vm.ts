import { TwinboxError, type HypervisorPlugin, type OperationOptions, type VmRef } from '../../plugin-api/index.js';

/** Brings the VM to running from whatever state it is in: a no-op when it runs, a resume when it was saved. */
export async function bootVm(hypervisor: HypervisorPlugin, vm: VmRef, options: OperationOptions & { timeoutMs: number }): Promise<void> {
  const status = await hypervisor.state(vm);
  switch (status.state) {
    case 'running':
      return;
    case 'paused':
    case 'suspended':
      await hypervisor.resume(vm, options);
      return;
    case 'not-created':
      throw new TwinboxError('vm-missing', `the VM is gone (${status.reason})`, {
        hint: 'run `twinbox reset` on the workspace to make it again from the base image',
        details: { retryable: false },
      });
    default:
      await hypervisor.start(vm, options);
  }
}
