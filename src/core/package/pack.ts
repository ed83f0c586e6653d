import { createHash } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { isTwinboxError, TwinboxError } from '../../plugin-api/index.js';
import { isNoSpace, packageErrors } from './errors.js';
import { keyFingerprint } from './key-files.js';
import { workspaceManifestSchema } from './manifest-schema.js';
import { parseManifest } from './manifest-parse.js';
import { MANIFEST_MEMBER, SIGNATURE_MEMBER, SUMS_MEMBER } from './package-format.js';
import { signPackage } from './signature.js';
import { readSourceFolder } from './source-folder.js';
import { checkImageFormat, hashedChunks, hashFile, readSigningKey } from './source-reading.js';
import { SparseFileWriter } from './sparse-file-writer.js';
import { formatSums } from './sums.js';
import { MemberSizeError, tarStream, type TarMemberSource } from './tar/tar-writer.js';
import type { Compression } from './compression.js';

export interface PackOptions {
  /** The workspace folder: workspace.json, the disk image, the setup scripts. */
  sourceDir: string;
  outFile: string;
  /** An ed25519 private key (PEM) to sign the package with. */
  signingKeyFile?: string;
  gzip?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: PackProgress) => void;
}

export interface PackProgress {
  /** `hashing` runs first when workspace.json leaves image.sha256 to pack. */
  phase: 'hashing' | 'packing';
  member: string;
  done: number;
  total: number;
}

export interface PackResult {
  file: string;
  name: string;
  version: string;
  /** Size of the package file. */
  bytes: number;
  /** Of the package file, for publishing beside it. */
  sha256: string;
  compression: Compression;
  signed: boolean;
  keyFingerprint?: string;
  image: { member: string; bytes: number; sha256: string };
  scripts: string[];
  elapsedMs: number;
}

/**
 * Packs a workspace folder into a `.twbx` package: workspace.json with image.sha256 filled in,
 * SHA256SUMS, the SIGNATURE when a key is given, then the image and scripts streamed from disk
 * (never held in memory). Writes FILE.partial and renames it into place; on any failure or
 * cancellation the partial file is removed.
 */
export async function packWorkspace(options: PackOptions): Promise<PackResult> {
  const started = Date.now();
  const folder = await readSourceFolder(options.sourceDir);
  const key = options.signingKeyFile ? await readSigningKey(options.signingKeyFile) : undefined;
  const fingerprint = key ? keyFingerprint(key) : undefined;
  await checkImageFormat(folder);
  const progress = options.onProgress;
  const image = folder.image;

  const imageHash =
    folder.declaredSha256 ??
    (await hashFile(image, options.signal, (done) => progress?.({ phase: 'hashing', member: image.member, done, total: image.size })));
  const scriptHashes = new Map<string, string>();
  for (const script of folder.scripts) scriptHashes.set(script.member, await hashFile(script, options.signal));

  const rawImage = (folder.raw.image ?? {}) as Record<string, unknown>;
  const manifestBytes = Buffer.from(`${JSON.stringify({ ...folder.raw, image: { ...rawImage, sha256: imageHash } }, null, 2)}\n`);
  parseManifest(manifestBytes, options.sourceDir, workspaceManifestSchema);
  const sums = new Map<string, string>([
    [MANIFEST_MEMBER, createHash('sha256').update(manifestBytes).digest('hex')],
    [image.member, imageHash],
    ...scriptHashes,
  ]);
  const sumsBytes = Buffer.from(formatSums(sums));
  const signature = key ? signPackage(key, manifestBytes, sumsBytes) : undefined;

  const streamedImage = createHash('sha256');
  const streamedScripts = new Map(folder.scripts.map((script) => [script.member, createHash('sha256')]));
  const metadata = (member: string, content: Buffer): TarMemberSource => ({ path: member, size: content.length, mode: 0o644, mtime: folder.manifestMtime, content });
  const members: TarMemberSource[] = [
    metadata(MANIFEST_MEMBER, manifestBytes),
    metadata(SUMS_MEMBER, sumsBytes),
    ...(signature ? [metadata(SIGNATURE_MEMBER, signature)] : []),
    {
      path: image.member,
      size: image.size,
      mode: 0o644,
      mtime: image.mtime,
      content: () => hashedChunks(image, streamedImage, (done) => progress?.({ phase: 'packing', member: image.member, done, total: image.size })),
    },
    ...folder.scripts.map((script) => ({
      path: script.member,
      size: script.size,
      mode: 0o755,
      mtime: script.mtime,
      content: () => hashedChunks(script, streamedScripts.get(script.member)!),
    })),
  ];

  const partial = `${options.outFile}.partial`;
  const packageHash = createHash('sha256');
  let writer: SparseFileWriter | undefined;
  try {
    writer = await SparseFileWriter.create(partial, { mode: 0o644, exclusive: false });
    const output = writer;
    const sink = async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        packageHash.update(chunk);
        await output.write(chunk);
      }
    };
    if (options.gzip) await pipeline(tarStream(members), createGzip(), sink, { signal: options.signal });
    else await pipeline(tarStream(members), sink, { signal: options.signal });
    const streamed = streamedImage.digest('hex');
    if (streamed !== imageHash) {
      throw folder.declaredSha256
        ? packageErrors.checksum(options.sourceDir, `image.sha256 in workspace.json does not match ${image.member} (its sha256 is ${streamed}); set it to "auto" to let pack compute it`)
        : new TwinboxError('pack-source', `${image.member} changed while it was being packed`, { hint: 'pack again once nothing writes to the image' });
    }
    for (const [member, hash] of streamedScripts) {
      if (hash.digest('hex') !== scriptHashes.get(member)) throw new TwinboxError('pack-source', `${member} changed while it was being packed`, { hint: 'pack again' });
    }
    await writer.close({ sync: true });
    writer = undefined;
    await rename(partial, options.outFile);
  } catch (error) {
    await writer?.abandon();
    await rm(partial, { force: true });
    throw packError(error, options, partial);
  }
  return {
    file: options.outFile,
    name: folder.manifest.name,
    version: folder.manifest.version,
    bytes: (await stat(options.outFile)).size,
    sha256: packageHash.digest('hex'),
    compression: options.gzip ? 'gzip' : 'none',
    signed: key !== undefined,
    keyFingerprint: fingerprint,
    image: { member: image.member, bytes: image.size, sha256: imageHash },
    scripts: folder.scripts.map((script) => script.member),
    elapsedMs: Date.now() - started,
  };
}

function packError(error: unknown, options: PackOptions, partial: string): unknown {
  if (options.signal?.aborted) return packageErrors.cancelled(`packing ${basename(options.outFile)}`);
  if (isTwinboxError(error)) return error;
  if (error instanceof MemberSizeError) return new TwinboxError('pack-source', error.message, { hint: 'pack again once nothing writes to the files' });
  if (isNoSpace(error)) return packageErrors.diskFull(partial, `the disk filled up while writing ${basename(partial)}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return new TwinboxError('pack-output', `cannot write ${partial} (${code})`, { exit: 'usage', hint: 'check that the --out folder exists and is writable', cause: error });
  return error;
}
