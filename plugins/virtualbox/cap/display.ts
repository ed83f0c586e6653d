import { checkVmId, TwinboxError, vmNotCreated, type VmDisplay, type VmRef } from 'twinbox/plugin-api';
import { machineOf } from '../driver/names.js';
import { VRDE_ADDRESS } from '../driver/vrde.js';
import { readVm, type VBoxContext } from '../provider.js';

function quoted(arg: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(arg) ? arg : `"${arg}"`;
}

/**
 * FreeRDP's clients under the names distributions install them: FreeRDP 3 as `xfreerdp3` and
 * `sdl-freerdp3` (Debian 13, Ubuntu 24.04, Fedora), FreeRDP 2 as `xfreerdp` (Debian 12) and
 * `wlfreerdp` (its Wayland client). The first on PATH is offered; `xfreerdp` when none is.
 * Their `/v:` and `/u:` are the same in both versions.
 */
export const FREERDP_VIEWERS = ['xfreerdp3', 'xfreerdp', 'sdl-freerdp3', 'sdl-freerdp', 'wlfreerdp3', 'wlfreerdp'] as const;

async function freeRdpViewer(ctx: VBoxContext): Promise<string> {
  for (const program of FREERDP_VIEWERS) if (await ctx.runner.which(program)) return program;
  return 'xfreerdp';
}

/**
 * An RDP client for the screen: Windows' own `mstsc` (it asks for the account itself), and
 * FreeRDP elsewhere, told the host account VBoxAuth checks the password of.
 */
async function viewer(ctx: VBoxContext, endpoint: string): Promise<readonly string[]> {
  if (ctx.platform === 'win32') return ['mstsc.exe', `/v:${endpoint}`];
  return [await freeRdpViewer(ctx), `/v:${endpoint}`, ...(ctx.user ? [`/u:${ctx.user}`] : [])];
}

/**
 * The running VM's screen, served over RDP by VirtualBox's VRDE on the port it took from the
 * range at start (`vrdeport`; -1 when no VRDE server runs, 0 when it could not bind any).
 * A VM without VRDE (none asked for, or VirtualBox had no VRDE module) has none.
 */
export async function display(ctx: VBoxContext, vm: VmRef): Promise<VmDisplay | undefined> {
  checkVmId(vm.id);
  const { status, info } = await readVm(ctx, vm);
  if (status.state === 'not-created') throw vmNotCreated(vm, 'VirtualBox');
  if (status.state !== 'running' || info.get('vrde') !== 'on') return undefined;
  const port = Number(info.get('vrdeport'));
  if (port === 0) {
    throw new TwinboxError('vrde-ports-busy', `the screen server of ${vm.id} could not start: every port it may use (${info.get('vrdeports') ?? 'its VRDE ports'}) on ${VRDE_ADDRESS} is taken`, {
      hint: `stop other VMs or programs listening there, then restart the VM; \`VBoxManage showvminfo ${machineOf(vm)}\` shows its VRDE settings`,
      exit: 'busy',
    });
  }
  if (!Number.isInteger(port) || port < 0) {
    ctx.logger?.warn(`${vm.id} has VRDE switched on but no screen server runs (vrdeport ${info.get('vrdeport') ?? 'missing'}): VirtualBox found no VRDE module at start`);
    return undefined;
  }
  const configured = info.get('vrdeaddress');
  const host = configured && configured !== '0.0.0.0' ? configured : VRDE_ADDRESS;
  const endpoint = `${host}:${port}`;
  const viewerCommand = await viewer(ctx, endpoint);
  return { protocol: 'rdp', address: endpoint, viewer: viewerCommand.map(quoted).join(' '), viewerCommand };
}
