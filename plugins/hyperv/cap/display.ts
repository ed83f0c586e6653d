import { vmNotCreated, type VmDisplay, type VmRef } from 'twinbox/plugin-api';
import { vmName } from '../driver/names.js';
import { readVm, type HyperVContext } from '../provider.js';

/**
 * A running VM's screen is Hyper-V's own console window, Virtual Machine Connection, which
 * finds the VM by its current name on this host; it has no network address of its own.
 */
export async function display(ctx: HyperVContext, vm: VmRef): Promise<VmDisplay | undefined> {
  const { status, name } = await readVm(ctx, vm);
  if (status.state === 'not-created') throw vmNotCreated(vm, 'Hyper-V');
  if (status.state !== 'running') return undefined;
  const shown = name ?? vmName(vm.id);
  const viewerCommand = ['vmconnect.exe', 'localhost', shown];
  return { protocol: 'console', address: shown, viewer: `vmconnect.exe localhost "${shown.replace(/"/g, '\\"')}"`, viewerCommand };
}
