import { win32 } from 'node:path';
import { TwinboxError, type OperationOptions, type VmRef, type VmSpec } from 'twinbox/plugin-api';
import { channelKey, pipeName } from '../cap/channel.js';
import { vmName } from '../driver/names.js';
import { toWindowsPath } from '../driver/platform.js';
import { asRecord } from '../driver/values.js';
import type { HyperVContext } from '../provider.js';
import { createVmScript } from '../scripts/create-vm.js';

/** Creates the VM (one PowerShell command, undone on failure) and records its GUID. */
export async function create(ctx: HyperVContext, spec: VmSpec, options: OperationOptions = {}): Promise<VmRef> {
  const name = vmName(spec.id);
  const vmDir = toWindowsPath(spec.vmDir, ctx.host);
  const diskPath = win32.join(vmDir, `${name}.vhdx`);
  const basePath = toWindowsPath(spec.image.path, ctx.host);
  const pipes = spec.channels.map((_channel, index) => pipeName(spec.id, index));
  options.onProgress?.({ percent: 10, message: `creating ${name}` });
  const script = createVmScript({
    name,
    vmDir,
    diskPath,
    basePath,
    memoryBytes: spec.memoryMiB * 1024 * 1024,
    cpus: spec.cpus,
    network: spec.network,
    // Linux guests' boot loaders are not signed by Microsoft's Windows key.
    secureBoot: spec.guestOs === 'windows',
    comPorts: pipes,
  });
  const created = asRecord(await ctx.driver.invoke(script, { action: 'create the VM', timeoutMs: 5 * 60 * 1000 }));
  const vmId = created.Id;
  if (typeof vmId !== 'string') throw new TwinboxError('hyperv-failed', `Hyper-V created ${name} but reported no id for it`, { hint: `check it in Hyper-V Manager: Get-VM -Name ${name}` });
  options.onProgress?.({ percent: 100, message: 'created' });
  const data: Record<string, string> = { vmId, name, diskPath, basePath, vmDirWindows: vmDir };
  spec.channels.forEach((channel, index) => {
    data[channelKey(channel)] = pipes[index]!;
  });
  return { id: spec.id, vmDir: spec.vmDir, data };
}
