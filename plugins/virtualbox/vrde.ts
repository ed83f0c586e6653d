import { versionSatisfies, type VmRef, type VmSpec } from 'twinbox/plugin-api';
import type { VBoxContext } from './context.js';
import { machineOf } from './names.js';

/**
 * The ports a VM's screen server (VRDE) may listen on: VirtualBox takes the first free one
 * of the range at VM start, so several VMs (and other programs on 5000) do not collide.
 */
export const VRDE_PORTS = '5000-5050';
export const VRDE_ADDRESS = '127.0.0.1';

/**
 * The VRDE server bound to loopback only, asking for the host account's own password
 * (`external`: VirtualBox's VBoxAuth checks it with PAM or Windows), so no secret passes
 * through twinbox.
 */
export const VRDE_ARGS: readonly string[] = ['--vrde', 'on', '--vrdeport', VRDE_PORTS, '--vrdeaddress', VRDE_ADDRESS, '--vrdeauthtype', 'external'];

// Oracle's RDP server module, shipped in the Extension Pack up to 7.2.5; VirtualBox 7.2.6
// moved it into the open-source base package.
const VRDP_MODULE = 'VBoxVRDP';
const BUILT_IN = '>=7.2.6';

export const EXTPACK_HINT =
  'install the Oracle VirtualBox Extension Pack matching your VirtualBox version from virtualbox.org (`VBoxManage extpack install --replace <file>.vbox-extpack`); the VM gets its screen when it next starts from powered off';

/** Recorded in the VM's data when it asked for a screen, so one VirtualBox could not serve at creation comes later. */
export const SCREEN_KEY = 'screen';

export interface ExtPack {
  name: string;
  vrdeModule: string;
  usable: boolean;
  whyUnusable: string;
}

/** `list extpacks`: `Pack no. 0:   <name>` blocks of `Key:   value` lines. */
export function parseExtPacks(text: string): ExtPack[] {
  const packs: ExtPack[] = [];
  let current: ExtPack | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const start = /^Pack no\.\s*\d+:\s*(.*?)\s*$/.exec(line);
    if (start) {
      current = { name: start[1]!, vrdeModule: '', usable: false, whyUnusable: '' };
      packs.push(current);
      continue;
    }
    const field = /^([A-Za-z ]+):\s*(.*?)\s*$/.exec(line);
    if (!current || !field) continue;
    const key = field[1]!;
    const value = field[2]!;
    if (key === 'VRDE Module') current.vrdeModule = value;
    else if (key === 'Usable') current.usable = value === 'true';
    else if (key === 'Why unusable') current.whyUnusable = value;
  }
  return packs;
}

export type VrdeAvailability = { available: true } | { available: false; reason: string };

/**
 * Whether this VirtualBox can serve a VM's screen over RDP. Without a VRDE module a VM with
 * VRDE switched on may refuse to power up, so this is asked before VRDE is switched on.
 */
export async function vrdeAvailability(ctx: VBoxContext, signal?: AbortSignal): Promise<VrdeAvailability> {
  const { version } = await ctx.driver.version();
  if (versionSatisfies(version, BUILT_IN)) return { available: true };
  const packs = parseExtPacks(await ctx.driver.exec(['list', 'extpacks'], { signal }));
  const withVrdp = packs.filter((pack) => pack.vrdeModule === VRDP_MODULE);
  if (withVrdp.some((pack) => pack.usable)) return { available: true };
  const broken = withVrdp[0];
  if (broken) {
    return { available: false, reason: `the ${broken.name} is installed but unusable${broken.whyUnusable ? ` (${broken.whyUnusable})` : ''}` };
  }
  return { available: false, reason: `VirtualBox ${version} has no RDP screen server: the Oracle VirtualBox Extension Pack (VBoxVRDP) is not installed` };
}

/** The VM asked for a screen the user can watch. */
export function wantsScreen(display: VmSpec['display']): boolean {
  return display === 'vnc' || display === 'console';
}

// modifyvm needs a VM without a session and without saved state.
const MUTABLE_STATES: ReadonlySet<string> = new Set(['poweroff', 'aborted', 'teleported']);

/**
 * Before a VM that asked for a screen but was made without one (no VRDE module then) starts
 * from powered off: switches VRDE on if VirtualBox can serve it now, else says again why not.
 */
export async function screenBeforeStart(ctx: VBoxContext, vm: VmRef, raw: string | undefined, info: ReadonlyMap<string, string>, signal?: AbortSignal): Promise<void> {
  if (vm.data?.[SCREEN_KEY] !== true || info.get('vrde') === 'on' || raw === undefined || !MUTABLE_STATES.has(raw)) return;
  const vrde = await vrdeAvailability(ctx, signal);
  if (!vrde.available) {
    ctx.logger?.warn(`${vm.id} starts without a screen: ${vrde.reason}`, { hint: EXTPACK_HINT });
    return;
  }
  await ctx.driver.exec(['modifyvm', machineOf(vm), ...VRDE_ARGS], { signal });
}
