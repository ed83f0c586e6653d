import { createHash, sign, type KeyObject } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { BLOCK_SIZE, encodeHeader, type HeaderInput } from '../../../../src/core/package/tar/header.js';
import { defaultManifest, sampleImage, type WorkspaceFolderOptions } from './workspace-folder.js';

/** One raw archive member: a header (any type, any name) and its data with padding. */
export function member(name: string, data: Buffer = Buffer.alloc(0), header: Partial<HeaderInput> = {}): Buffer {
  const padding = (BLOCK_SIZE - (data.length % BLOCK_SIZE)) % BLOCK_SIZE;
  return Buffer.concat([encodeHeader({ name, size: data.length, typeflag: '0', mode: 0o644, mtime: 1_700_000_000, ...header }), data, Buffer.alloc(padding)]);
}

/** Members followed by the end-of-archive marker. */
export function tarOf(...members: Buffer[]): Buffer {
  return Buffer.concat([...members, Buffer.alloc(BLOCK_SIZE * 2)]);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The parts of a valid package, built in memory so a test can damage exactly one thing. */
export interface PackageParts {
  manifest: Buffer;
  sums: Buffer;
  signature?: Buffer;
  image: Buffer;
  imageName: string;
  scripts: Record<string, Buffer>;
}

export interface PartsOptions extends WorkspaceFolderOptions {
  /** Sign with this ed25519 private key. */
  key?: KeyObject;
  /** Replace workspace.json's bytes (after the sums are computed from them). */
  rawManifest?: Buffer;
}

export function packageParts(options: PartsOptions = {}): PackageParts {
  const image = options.image ?? sampleImage();
  const object = defaultManifest(options);
  (object.image as Record<string, unknown>).sha256 = sha256(image);
  const manifest = options.rawManifest ?? Buffer.from(`${JSON.stringify(object, null, 2)}\n`);
  const imageName = (object.image as { file: string }).file;
  const scripts = Object.fromEntries(Object.entries(options.scripts ?? {}).map(([path, text]) => [path, Buffer.from(text)]));
  const lines = [[sha256(manifest), 'workspace.json'], [sha256(image), imageName], ...Object.entries(scripts).map(([path, data]) => [sha256(data), path])];
  const sums = Buffer.from(lines.map(([hash, path]) => `${hash}  ${path}\n`).join(''));
  const signature = options.key ? Buffer.from(`${sign(null, Buffer.concat([manifest, sums]), options.key).toString('base64')}\n`) : undefined;
  return { manifest, sums, signature, image, imageName, scripts };
}

/** The members of a package in the order pack writes them. */
export function packageMembers(parts: PackageParts): Buffer[] {
  return [
    member('workspace.json', parts.manifest),
    member('SHA256SUMS', parts.sums),
    ...(parts.signature ? [member('SIGNATURE', parts.signature)] : []),
    member(parts.imageName, parts.image),
    ...Object.entries(parts.scripts).map(([path, data]) => member(path, data, { mode: 0o755 })),
  ];
}

/** A whole valid package archive, optionally gzip-compressed. */
export function packageArchive(options: PartsOptions = {}, gzip = false): Buffer {
  const archive = tarOf(...packageMembers(packageParts(options)));
  return gzip ? gzipSync(archive) : archive;
}
