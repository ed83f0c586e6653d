import { chmodSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface WorkspaceFolderOptions {
  name?: string;
  version?: string;
  /** The disk image's bytes; default: a small raw image with a recognisable pattern. */
  image?: Buffer;
  /** A sparse raw image of this many bytes instead (holes, no data). */
  sparseImageBytes?: number;
  /** Top-level fields replacing the defaults; `image` is merged into the default image object. */
  manifest?: Record<string, unknown>;
  /** Setup scripts: package path → content. */
  scripts?: Record<string, string>;
}

/** A raw disk image that matches no other format's magic: 64 KiB of a repeated text line, then zeros. */
export function sampleImage(size = 192 * 1024): Buffer {
  const image = Buffer.alloc(size);
  image.write('twinbox test disk\n'.repeat(Math.floor(Math.min(size, 64 * 1024) / 18)), 0, 'latin1');
  return image;
}

export function defaultManifest(options: WorkspaceFolderOptions = {}): Record<string, unknown> {
  const { image: imageOverrides, ...rest } = (options.manifest ?? {}) as { image?: Record<string, unknown> } & Record<string, unknown>;
  return {
    name: options.name ?? 'hello',
    version: options.version ?? '1.0.0',
    description: 'a workspace made by a test',
    image: { file: 'disk.img', format: 'raw', sha256: 'auto', ...imageOverrides },
    guestAgent: { plugin: 'qga' },
    hypervisors: { allowed: ['fake'] },
    setup: { computerName: 'TEST-###', scripts: Object.keys(options.scripts ?? {}) },
    ...rest,
  };
}

/** Writes a workspace source folder (workspace.json, the image, the scripts) for `twinbox pack`. */
export function writeWorkspaceFolder(dir: string, options: WorkspaceFolderOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const manifest = defaultManifest(options);
  writeFileSync(join(dir, 'workspace.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const imagePath = join(dir, (manifest.image as { file: string }).file);
  mkdirSync(dirname(imagePath), { recursive: true });
  if (options.sparseImageBytes !== undefined) {
    writeFileSync(imagePath, sampleImage(64 * 1024));
    truncateSync(imagePath, options.sparseImageBytes);
  } else {
    writeFileSync(imagePath, options.image ?? sampleImage());
  }
  for (const [path, content] of Object.entries(options.scripts ?? {})) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, 0o755);
  }
  return dir;
}
