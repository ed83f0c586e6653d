import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { imageRoute, type HypervisorPlugin, type ImportedImage, type VmRef, type VmSpec } from '../../../plugin-api/index.js';
import { EventCodes } from '../../events/codes.js';
import { ninePShares, vmSharedFolders, writeShareRecord, type FolderShare } from '../../redirection/folder-shares.js';
import type { StepData } from '../journal.js';
import { notRetryable, STEP, vmFromData, type SetupRun } from '../setup-run-context.js';
import type { SetupStep, StepContext } from '../step-runner.js';

function spec(run: SetupRun, image: ImportedImage, shares: readonly FolderShare[]): VmSpec {
  const { manifest, target } = run;
  return {
    ...(shares.length > 0 ? { sharedFolders: vmSharedFolders(shares) } : {}),
    id: target.id,
    image,
    vmDir: target.vmDir,
    memoryMiB: manifest.vm.memoryMiB,
    cpus: manifest.vm.cpus,
    network: manifest.vm.network,
    channels: [manifest.guestAgent.channel],
    consoles: 4,
    guestOs: manifest.image.os,
    display: manifest.vm.display,
  };
}

async function storeImage(run: SetupRun): Promise<ImportedImage> {
  const path = run.entry.imagePath;
  try {
    return { path, format: run.manifest.image.format, sizeBytes: (await stat(path)).size };
  } catch {
    throw notRetryable('base-image-missing', `the base image ${path} of workspace "${run.ws.name}" is missing`, 'reinstall the workspace package');
  }
}

/**
 * The store's base converted into the plugin's own format; the copy goes into the store
 * beside the base. An import cut short leaves a folder the journal does not know, and it is
 * made again.
 */
async function importedImage(run: SetupRun, hypervisor: HypervisorPlugin, context: StepContext): Promise<ImportedImage> {
  // The system store is read-only to users: their conversion of a machine-wide base is their own.
  const beside = run.ws.scope === 'system' ? run.ws.layout.workspaceDir : run.entry.storeDir;
  const destinationDir = join(beside, `imported-${hypervisor.name}`);
  await rm(destinationDir, { recursive: true, force: true });
  context.progress(`converting the base image for ${hypervisor.displayName}`);
  const imported = await hypervisor.importImage(
    { source: run.entry.imagePath, format: run.manifest.image.format, destinationDir },
    { signal: context.signal, onProgress: (report) => context.progress(report.message ?? 'converting the base image', report.percent) },
  );
  await context.save({ imported: imported as unknown as StepData });
  return imported;
}

/**
 * The base the VM is made from, decided once from the plugin's capabilities: the store's own
 * image where `create` takes its format (`createFormats`), else the plugin's import of it
 * (kept in the journal, so a resumed setup does not import again).
 */
async function baseImage(run: SetupRun, hypervisor: HypervisorPlugin, context: StepContext): Promise<ImportedImage> {
  const saved = context.saved?.imported;
  if (saved && typeof saved === 'object' && !Array.isArray(saved)) return saved as unknown as ImportedImage;
  const { format } = run.manifest.image;
  switch (imageRoute(hypervisor.capabilities(), format)) {
    case 'create':
      return storeImage(run);
    case 'import':
      return importedImage(run, hypervisor, context);
    default:
      throw notRetryable('image-format-unsupported', `${hypervisor.displayName} can use no ${format} image, so workspace "${run.ws.name}" cannot be set up on it`, 'use a package whose image this hypervisor takes, or another hypervisor');
  }
}

async function create(run: SetupRun, hypervisor: HypervisorPlugin, context: StepContext): Promise<VmRef> {
  const options = { signal: context.signal, onProgress: (report: { message?: string; percent?: number }) => context.progress(report.message ?? 'creating the VM', report.percent) };
  // The folders it exports (9p) are kept beside the VM: its starts mount exactly those.
  const shares = ninePShares(run.manifest.sharedFolders, hypervisor);
  const vm = await hypervisor.create(spec(run, await baseImage(run, hypervisor, context), shares), options);
  if (shares.length > 0) await writeShareRecord(vm.vmDir, { exported: shares });
  return vm;
}

/**
 * Prepares the user's disk as a linked clone of the read-only base and creates the VM. A VM
 * the journal has is reused; one left by a run killed before it could journal it is removed
 * first, so nothing is orphaned.
 */
export function createVmStep(run: SetupRun): SetupStep {
  return {
    id: STEP.vm,
    title: 'Create the VM',
    weight: 10,
    failureCode: EventCodes.setupVmCreateFailed,
    async run(context) {
      const hypervisor = await run.hypervisor();
      const saved = vmFromData(context.saved?.vm);
      if (saved) {
        if ((await hypervisor.state(saved)).state !== 'not-created') return;
        context.log('warn', 'the VM this setup created is gone; creating it again');
      }
      const leftover: VmRef = { id: run.target.id, vmDir: run.target.vmDir };
      if ((await hypervisor.state(leftover)).state !== 'not-created') {
        context.log('info', 'removing a VM left half-made by an interrupted setup');
        await hypervisor.remove(leftover);
      }
      const vm = await create(run, hypervisor, context);
      const data = vm as unknown as StepData;
      await context.save({ vm: data });
      if (!run.upgrading) await run.ws.update((entry) => ({ ...entry, hypervisor: hypervisor.name, vm }));
      return { vm: data };
    },
  };
}
