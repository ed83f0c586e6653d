import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TwinboxError, type OperationOptions, type VmRef, type VmSpec } from 'twinbox/plugin-api';
import { channelKey, channelPath, UARTS } from '../cap/channel.js';
import { parseMachineReadable } from '../driver/machine-readable.js';
import { vmName } from '../driver/names.js';
import { EXTPACK_HINT, SCREEN_KEY, VRDE_ARGS, vrdeAvailability, wantsScreen } from '../driver/vrde.js';
import type { VBoxContext } from '../provider.js';

const CONTROLLER = 'SATA';

function osType(guestOs: string | undefined): string {
  if (guestOs === undefined || guestOs === 'linux') return 'Linux_64';
  if (guestOs === 'windows') return 'Windows11_64';
  return 'Other_64';
}

/** `list vms` prints `"name" {uuid}` lines. */
export function parseVmList(text: string): Map<string, string> {
  const vms = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^"(.*)" \{([0-9a-fA-F-]+)\}\s*$/.exec(line);
    if (match) vms.set(match[1]!, match[2]!);
  }
  return vms;
}

/** The first bridgeable host interface that is up, from `list bridgedifs` blocks. */
export function firstBridgeInterface(text: string): string | undefined {
  for (const block of text.split(/\n\s*\n/)) {
    const name = /^Name:\s+(.+?)\s*$/m.exec(block)?.[1];
    const status = /^Status:\s+(.+?)\s*$/m.exec(block)?.[1];
    if (name && status === 'Up') return name;
  }
  return undefined;
}

async function networkArgs(ctx: VBoxContext, network: VmSpec['network'], signal?: AbortSignal): Promise<string[]> {
  if (network === 'none') return ['--nic1', 'none'];
  if (network === 'nat') return ['--nic1', 'nat'];
  const adapter = firstBridgeInterface(await ctx.driver.exec(['list', 'bridgedifs'], { signal }));
  if (!adapter) {
    throw new TwinboxError('no-bridge-interface', 'no host network interface is up to bridge the VM onto', { hint: 'connect the host to a network, or use NAT networking' });
  }
  return ['--nic1', 'bridged', '--bridgeadapter1', adapter];
}

async function createMachine(ctx: VBoxContext, name: string, spec: VmSpec, signal?: AbortSignal): Promise<string> {
  const output = await ctx.driver.exec(['createvm', '--name', name, '--basefolder', spec.vmDir, '--ostype', osType(spec.guestOs), '--register'], { signal });
  const uuid = /^UUID:\s*([0-9a-fA-F-]{36})\s*$/m.exec(output)?.[1];
  if (uuid) return uuid;
  // The confirmation text is not part of any contract; the machine-readable info is.
  const info = parseMachineReadable(await ctx.driver.exec(['showvminfo', name, '--machinereadable'], { signal }));
  const fromInfo = info.get('UUID');
  if (!fromInfo) throw new TwinboxError('vboxmanage-failed', `VirtualBox created ${name} but reported no UUID for it`, { hint: `check it with \`VBoxManage showvminfo ${name}\`` });
  return fromInfo;
}

/**
 * The VRDE switches for a VM that asked for a screen. Without a VRDE module VirtualBox may
 * refuse to power such a VM up, so then the VM is made without one (its apps that need no
 * screen still work; it gets one at a later start once VirtualBox can serve it) and the
 * reason is logged and reported.
 */
async function screenArgs(ctx: VBoxContext, spec: VmSpec, options: OperationOptions): Promise<readonly string[]> {
  if (!wantsScreen(spec.display)) return [];
  const vrde = await vrdeAvailability(ctx.driver, options.signal);
  if (vrde.available) return VRDE_ARGS;
  const message = `${vmName(spec.id)} gets no screen: ${vrde.reason}`;
  ctx.logger?.warn(message, { hint: EXTPACK_HINT });
  options.onProgress?.({ message: `${message}; ${EXTPACK_HINT}` });
  return [];
}

/**
 * Creates and registers the VM: settings, a NAT/bridged NIC, one serial port per channel in
 * host-pipe server mode, a loopback RDP screen (VRDE) when one is asked for, and its own
 * differencing disk over the shared base (a linked clone, like Hyper-V's New-VHD
 * -Differencing) on SATA port 0. Anything half-made is removed on failure.
 */
export async function create(ctx: VBoxContext, spec: VmSpec, options: OperationOptions = {}): Promise<VmRef> {
  const name = vmName(spec.id);
  const { signal, onProgress } = options;
  const channels = spec.channels.map((channel, index) => ({ channel, index, path: channelPath(ctx.paths, ctx.platform, spec.id, index) }));
  const existing = parseVmList(await ctx.driver.exec(['list', 'vms'], { signal })).get(name);
  if (existing) {
    throw new TwinboxError('vm-exists', `VirtualBox already has a VM named ${name} ({${existing}})`, {
      hint: `remove it with \`VBoxManage unregistervm ${existing} --delete\` if it is left over from an earlier attempt`,
    });
  }
  const nic = await networkArgs(ctx, spec.network, signal);
  const screen = await screenArgs(ctx, spec, options);
  if (ctx.platform !== 'win32' && channels.length > 0) mkdirSync(ctx.paths.runtimeDir, { recursive: true, mode: 0o700 });

  onProgress?.({ percent: 10, message: `creating ${name}` });
  const uuid = await createMachine(ctx, name, spec, signal);
  // createvm made <basefolder>/<name>/; the disk lives there so unregistervm --delete finds it.
  const disk = join(spec.vmDir, name, `${name}.vdi`);
  let diskMade = false;
  let diskAttached = false;
  try {
    const uartArgs = channels.flatMap(({ index, path }) => {
      const [base, irq] = UARTS[index]!;
      return [`--uart${index + 1}`, base, irq, `--uartmode${index + 1}`, 'server', path];
    });
    onProgress?.({ percent: 30, message: 'configuring' });
    await ctx.driver.exec(['modifyvm', uuid, '--cpus', String(spec.cpus), '--memory', String(spec.memoryMiB), '--acpi', 'on', '--ioapic', 'on', ...nic, ...uartArgs, ...screen], { signal });
    await ctx.driver.exec(['storagectl', uuid, '--name', CONTROLLER, '--add', 'sata', '--portcount', '1'], { signal });
    onProgress?.({ percent: 60, message: 'creating the differencing disk' });
    await ctx.driver.exec(['createmedium', 'disk', '--filename', disk, '--diffparent', spec.image.path, '--format', 'VDI'], { signal });
    diskMade = true;
    await ctx.driver.exec(['storageattach', uuid, '--storagectl', CONTROLLER, '--port', '0', '--device', '0', '--type', 'hdd', '--medium', disk], { signal });
    diskAttached = true;
  } catch (error) {
    if (diskMade && !diskAttached) await ctx.driver.attempt(['closemedium', 'disk', disk, '--delete']).catch(() => undefined);
    await ctx.driver.attempt(['unregistervm', uuid, '--delete']).catch(() => undefined);
    throw error;
  }
  onProgress?.({ percent: 100, message: 'created' });
  const data: Record<string, string | boolean> = { uuid, name, disk };
  for (const { channel, path } of channels) data[channelKey(channel)] = path;
  if (wantsScreen(spec.display)) data[SCREEN_KEY] = true;
  return { id: spec.id, vmDir: spec.vmDir, data };
}
