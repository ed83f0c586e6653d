import { chmod, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DISK_FORMATS, type CommandRunner, type ImportedImage, type ImportImageRequest, type OperationOptions } from 'twinbox/plugin-api';
import { qemuFormatName } from '../driver/argv.js';
import { ConvertProgressParser } from '../driver/convert-progress.js';
import { qemuErrors, toolMessage } from '../driver/errors.js';
import { QemuImg } from '../driver/qemu-img.js';
import type { QemuDeps } from '../provider.js';
import { pathExists } from 'twinbox/plugin-api';


export function importedName(source: string): string {
  const stem = basename(source).replace(/\.(qcow2|img|raw|vhd|vhdx|vdi|vmdk)$/i, '') || 'image';
  return `${stem}.qcow2`;
}

/**
 * Brings a disk image in as a read-only qcow2 base for linked clones: qcow2 is checked and
 * copied (or flattened, when it has a backing file of its own), anything else converted.
 */
export async function importImage(deps: QemuDeps, request: ImportImageRequest, options: OperationOptions = {}): Promise<ImportedImage> {
  const { runner } = deps;
  const qemuImgBinary = await deps.detector.requireImg();
  const qemuImg = new QemuImg(runner, qemuImgBinary);
  if (!DISK_FORMATS.includes(request.format)) throw qemuErrors.unsupportedFormat(request.format);
  const source = resolve(request.source);
  if (!(await pathExists(source))) throw qemuErrors.imageNotFound(source);
  await mkdir(request.destinationDir, { recursive: true, mode: 0o700 });
  const destination = join(resolve(request.destinationDir), importedName(source));
  if (await pathExists(destination)) throw qemuErrors.imageExists(destination);

  const format = qemuFormatName(request.format);
  const info = await qemuImg.info(source, format);
  const partial = `${destination}.part`;
  const report = options.onProgress ?? (() => undefined);
  try {
    if (request.format === 'qcow2' && !info.backingFile) {
      await qemuImg.check(source, format);
      report({ percent: 0, message: `copying ${basename(source)}` });
      await copyFile(source, partial);
    } else {
      report({ percent: 0, message: `converting ${basename(source)} (${request.format}) to qcow2` });
      await convert(runner, qemuImgBinary, ['convert', '-p', '-f', format, '-O', 'qcow2', source, partial], source, (percent) => report({ percent }), options.signal);
    }
    if (options.signal?.aborted) throw qemuErrors.cancelled(`import of ${source}`);
    // The base is shared by every linked clone: nothing may write to it again.
    await chmod(partial, 0o444);
    await rename(partial, destination);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  report({ percent: 100, message: 'imported' });
  return { path: destination, format: 'qcow2', sizeBytes: (await stat(destination)).size };
}

/** A long-lived process, not `run()`: progress arrives on stdout while it works. */
async function convert(
  runner: CommandRunner,
  binary: string,
  args: string[],
  source: string,
  onPercent: (percent: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) throw qemuErrors.cancelled(`import of ${source}`);
  const child = runner.spawnLongLived(binary, args, { env: { LC_ALL: 'C' } });
  child.stdin.end();
  const parser = new ConvertProgressParser(onPercent);
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => parser.push(chunk));
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const abort = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const code = await child.exited;
    parser.end();
    if (signal?.aborted) throw qemuErrors.cancelled(`import of ${source}`);
    if (code !== 0) throw qemuErrors.conversionFailed(source, toolMessage(stderr, `exit code ${code}`));
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
