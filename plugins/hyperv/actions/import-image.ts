import { existsSync, mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { DISK_FORMATS, TwinboxError, type DiskFormat, type ImportedImage, type ImportImageRequest, type OperationOptions } from 'twinbox/plugin-api';
import { toWindowsPath } from '../driver/platform.js';
import { asRecord } from '../driver/values.js';
import type { HyperVContext } from '../provider.js';
import { importVhdScript, type ImportMode } from '../scripts/import-vhd.js';

const IMPORT_TIMEOUT_MS = 60 * 60 * 1000;

async function convertWithQemu(ctx: HyperVContext, format: DiskFormat, source: string, target: string, signal?: AbortSignal): Promise<void> {
  const qemuImg = (await ctx.runner.which('qemu-img')) ?? (await ctx.runner.which('qemu-img.exe'));
  if (!qemuImg) {
    throw new TwinboxError('conversion-unavailable', `Hyper-V cannot use ${format} images, and qemu-img (which converts them to VHDX) was not found`, {
      hint: 'install QEMU (Windows: the QEMU installer or `winget install SoftwareFreedomConservancy.QEMU`; WSL: qemu-utils) and put qemu-img on PATH, or convert the image to VHDX yourself',
    });
  }
  // A Windows qemu-img.exe started from WSL needs Windows paths; a Linux one the WSL paths.
  const windowsTool = ctx.host === 'windows' || qemuImg.toLowerCase().endsWith('.exe');
  const paths = windowsTool ? [toWindowsPath(source, ctx.host), toWindowsPath(target, ctx.host)] : [source, target];
  const result = await ctx.runner.run(qemuImg, ['convert', '-f', format, '-O', 'vhdx', '-o', 'subformat=dynamic', ...paths], { timeoutMs: IMPORT_TIMEOUT_MS, signal });
  if (result.timedOut || result.exitCode !== 0) {
    throw new TwinboxError('image-conversion-failed', `qemu-img could not convert ${source} to VHDX: ${result.timedOut ? 'it timed out' : result.stderr.trim() || `exit code ${result.exitCode}`}`, {
      hint: 'check that the image file is complete (`qemu-img check`)',
      details: { exitCode: result.exitCode },
    });
  }
}

/** Puts the image in place as a read-only VHDX base for differencing disks. */
export async function importImage(ctx: HyperVContext, request: ImportImageRequest, options: OperationOptions = {}): Promise<ImportedImage> {
  if (!DISK_FORMATS.includes(request.format)) {
    throw new TwinboxError('unsupported-format', `Hyper-V cannot import "${request.format}" images`, { hint: `use one of ${DISK_FORMATS.join(', ')}`, exit: 'usage' });
  }
  if (!existsSync(request.source)) throw new TwinboxError('image-not-found', `the image ${request.source} does not exist`, { hint: 'check the path', exit: 'usage' });
  mkdirSync(request.destinationDir, { recursive: true });
  const target = join(request.destinationDir, `${basename(request.source, extname(request.source))}.vhdx`);
  if (existsSync(target)) throw new TwinboxError('image-exists', `${target} already exists`, { hint: 'remove the old image first, or import into another folder' });
  const targetWindows = toWindowsPath(target, ctx.host);
  const sourceWindows = toWindowsPath(request.source, ctx.host);
  const { signal, onProgress } = options;
  let mode: ImportMode;
  if (request.format === 'vhdx') mode = 'copy';
  else if (request.format === 'vhd') mode = 'convert-vhd';
  else {
    onProgress?.({ percent: 0, message: `converting ${basename(request.source)} to VHDX with qemu-img` });
    await convertWithQemu(ctx, request.format, request.source, target, signal);
    mode = 'in-place';
  }
  onProgress?.({ percent: 50, message: 'placing the read-only base disk' });
  const info = asRecord(await ctx.driver.invoke(importVhdScript(mode, sourceWindows, targetWindows), { action: 'import the disk image', timeoutMs: IMPORT_TIMEOUT_MS }));
  onProgress?.({ percent: 100, message: 'imported' });
  return { path: target, format: 'vhdx', sizeBytes: typeof info.FileSize === 'number' ? info.FileSize : 0 };
}
