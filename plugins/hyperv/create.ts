import { win32 } from 'node:path';
import { TwinboxError, type OperationOptions, type VmRef, type VmSpec } from 'twinbox/plugin-api';
import { channelKey, MAX_COM_PORTS, pipeName } from './channel.js';
import type { HyperVContext } from './context.js';
import { vmName } from './names.js';
import { toWindowsPath } from './platform.js';
import { createVmScript } from './scripts/create-vm.js';
import { asRecord } from './values.js';

function checkSpec(spec: VmSpec): void {
  if (!Number.isInteger(spec.cpus) || spec.cpus < 1 || spec.cpus > 240) {
    throw new TwinboxError('invalid-spec', `cpus must be a whole number from 1 to 240, not ${spec.cpus}`, { hint: 'change the VM settings', exit: 'usage' });
  }
  // Hyper-V assigns memory in 2 MiB steps, at least 32 MiB.
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB < 32 || spec.memoryMiB % 2 !== 0) {
    throw new TwinboxError('invalid-spec', `memory must be an even number of MiB, at least 32, not ${spec.memoryMiB}`, { hint: 'change the VM settings', exit: 'usage' });
  }
  if (spec.channels.length > MAX_COM_PORTS) {
    throw new TwinboxError('invalid-spec', `Hyper-V offers ${MAX_COM_PORTS} COM ports; ${spec.channels.length} channels were asked for`, { hint: `use at most ${MAX_COM_PORTS} channels`, exit: 'usage' });
  }
  if (spec.image.format !== 'vhdx') {
    throw new TwinboxError('image-not-imported', `the base image ${spec.image.path} is ${spec.image.format}, not an image imported by the Hyper-V plugin`, {
      hint: 'import the image with this plugin first',
    });
  }
}

/** Creates the VM (one PowerShell command, undone on failure) and records its GUID. */
export async function createVm(ctx: HyperVContext, spec: VmSpec, options: OperationOptions = {}): Promise<VmRef> {
  const name = vmName(spec.id);
  checkSpec(spec);
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
