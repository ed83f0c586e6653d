import type { VmDisplay, VmRef } from 'twinbox/plugin-api';
import { findVm } from '../driver/load-vm.js';
import { inspectVm } from '../driver/vm-state.js';
import type { QemuDeps } from '../provider.js';

/** A VM made with display "vnc" shows its screen over VNC on a unix socket while it runs. */
export async function display(deps: QemuDeps, vm: VmRef): Promise<VmDisplay | undefined> {
  const config = await findVm(deps, vm);
  const socket = config?.paths.vncSocket;
  if (!config || !socket || (await inspectVm(deps, config)).status.state !== 'running') return undefined;
  return { protocol: 'vnc', address: socket, viewer: `remote-viewer vnc+unix://${socket}` };
}
