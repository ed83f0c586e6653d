import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { DISK_FORMATS, TwinboxError, type ImportedImage, type ImportImageRequest, type OperationOptions } from 'twinbox/plugin-api';
import type { VBoxContext } from '../provider.js';

const CONVERT_TIMEOUT_MS = 60 * 60 * 1000;

async function findQemuImg(ctx: VBoxContext): Promise<string | undefined> {
  return (await ctx.runner.which('qemu-img')) ?? (await ctx.runner.which('qemu-img.exe'));
}

async function convertQcow2(ctx: VBoxContext, source: string, target: string, signal?: AbortSignal): Promise<void> {
  const qemuImg = await findQemuImg(ctx);
  if (!qemuImg) {
    throw new TwinboxError('conversion-unavailable', 'VirtualBox cannot read qcow2 images, and qemu-img (which converts them) was not found', {
      hint: 'install qemu-img (Debian/Ubuntu: qemu-utils; macOS: brew install qemu; Windows: the QEMU installer), or convert the image to VDI or VMDK yourself',
    });
  }
  const result = await ctx.runner.run(qemuImg, ['convert', '-f', 'qcow2', '-O', 'vdi', source, target], { timeoutMs: CONVERT_TIMEOUT_MS, signal });
  if (result.timedOut || result.exitCode !== 0) {
    throw new TwinboxError('image-conversion-failed', `qemu-img could not convert ${source} to VDI: ${result.timedOut ? 'it timed out' : result.stderr.trim() || `exit code ${result.exitCode}`}`, {
      hint: 'check that the file is a complete qcow2 image (`qemu-img check`)',
      details: { exitCode: result.exitCode },
    });
  }
}

/**
 * Copies an image into VirtualBox's own format as the base that VMs' differencing disks
 * read from. Its type stays "normal": "immutable" would make VirtualBox discard each VM's
 * changes at every start, and "multiattach" can only be set on a medium a VM already owns.
 */
export async function importImage(ctx: VBoxContext, request: ImportImageRequest, options: OperationOptions = {}): Promise<ImportedImage> {
  if (!DISK_FORMATS.includes(request.format)) {
    throw new TwinboxError('unsupported-format', `VirtualBox cannot import "${request.format}" images`, { hint: `use one of ${DISK_FORMATS.join(', ')}`, exit: 'usage' });
  }
  if (!existsSync(request.source)) {
    throw new TwinboxError('image-not-found', `the image ${request.source} does not exist`, { hint: 'check the path', exit: 'usage' });
  }
  mkdirSync(request.destinationDir, { recursive: true });
  const target = join(request.destinationDir, `${basename(request.source, extname(request.source))}.vdi`);
  if (existsSync(target)) {
    throw new TwinboxError('image-exists', `${target} already exists`, { hint: 'remove the old image first, or import into another folder' });
  }
  const { signal, onProgress } = options;
  onProgress?.({ percent: 0, message: `converting ${basename(request.source)} to VDI` });
  if (request.format === 'qcow2') await convertQcow2(ctx, request.source, target, signal);
  else if (request.format === 'raw') await ctx.driver.exec(['convertfromraw', request.source, target, '--format', 'VDI'], { timeoutMs: CONVERT_TIMEOUT_MS, signal });
  else await ctx.driver.exec(['clonemedium', 'disk', request.source, target, '--format', 'VDI'], { timeoutMs: CONVERT_TIMEOUT_MS, signal });
  onProgress?.({ percent: 100, message: 'imported' });
  return { path: target, format: 'vdi', sizeBytes: statSync(target).size };
}
