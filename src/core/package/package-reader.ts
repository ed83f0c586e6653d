import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isTwinboxError } from '../../plugin-api/index.js';
import { detectCompression, gzipProblem, streamArchive, type Compression } from './compression.js';
import { packageErrors } from './errors.js';
import { ImageProbe } from './image-probe.js';
import { MAX_MANIFEST_BYTES, workspaceManifestSchema, type WorkspaceManifest } from './manifest-schema.js';
import { parseManifest, payloadMembers } from './manifest-parse.js';
import { MANIFEST_MEMBER, MAX_SIGNATURE_BYTES, MAX_SUMS_BYTES, RESERVED_MEMBERS, SIGNATURE_MEMBER, SUMS_MEMBER } from './package-format.js';
import { checkSignature, type SignatureCheck } from './signature-check.js';
import { parseSums } from './sums.js';
import { readTar, type TarBody, type TarEntry } from './tar/tar-reader.js';
import { TarError } from './tar/tar-error.js';
import type { TrustPolicy } from './trust-policy.js';

/** What the package's metadata members say, once checked. */
export interface PackageMetadata {
  /** The package file's name, used in messages. */
  label: string;
  compression: Compression;
  manifest: WorkspaceManifest;
  manifestBytes: Buffer;
  sumsBytes: Buffer;
  signatureBytes?: Buffer;
  sums: ReadonlyMap<string, string>;
  signature: SignatureCheck;
}

export interface PayloadMember {
  path: string;
  size: number;
  kind: 'image' | 'script';
}

/** Where a payload member's bytes go as they stream. */
export interface MemberSink {
  write(chunk: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface PackageReadHooks {
  /** Sees workspace.json as soon as it has parsed, before the other checks (for reports naming the workspace). */
  manifest?(manifest: WorkspaceManifest): void;
  /** Runs once the metadata is checked, before any payload byte is read: throw to stop. */
  verified?(metadata: PackageMetadata): Promise<void>;
  /** Where a payload member goes, asked when its header has been read; undefined: nowhere (hashed only). */
  member?(member: PayloadMember, metadata: PackageMetadata): Promise<MemberSink | undefined>;
  progress?(member: PayloadMember, done: number): void;
}

export interface PackageReadOptions {
  trust: TrustPolicy;
  signal?: AbortSignal;
  hooks?: PackageReadHooks;
}

type Item = { entry: TarEntry; body: TarBody };

/**
 * Reads a package in one streaming pass and checks it all: the archive's structure, the
 * member order, workspace.json against the schema, SHA256SUMS against the manifest, the
 * signature against the trust policy, then each payload member's sha256 and the image's
 * format as its bytes pass. Nothing is trusted before it is checked; the first problem stops
 * the read with a one-line error and exit code 3.
 */
export async function readPackage(file: string, options: PackageReadOptions): Promise<PackageMetadata> {
  const label = basename(file);
  try {
    const info = await stat(file);
    if (!info.isFile()) throw packageErrors.notFound(file);
  } catch (error) {
    if (isTwinboxError(error)) throw error;
    throw packageErrors.notFound(file);
  }
  const compression = await detectCompression(file);
  if (typeof compression !== 'string') {
    throw packageErrors.archive(label, 'compression', `compressed with ${compression.unsupported}, which twinbox does not read (packages are tar or tar.gz)`);
  }
  let metadata: PackageMetadata | undefined;
  try {
    await streamArchive(
      file,
      compression,
      async (source) => {
        metadata = await readMembers(label, compression, readTar(source), options);
      },
      options.signal,
    );
  } catch (error) {
    throw translate(label, error);
  }
  return metadata!;
}

function translate(label: string, error: unknown): unknown {
  if (error instanceof TarError) return packageErrors.archive(label, error.problem, error.message);
  const gzip = gzipProblem(error);
  if (gzip === 'truncated') return packageErrors.archive(label, 'truncated', 'the archive is truncated: the gzip stream ends early');
  if (gzip === 'corrupt') return packageErrors.archive(label, 'compression', `the gzip data is corrupt (${(error as Error).message})`);
  return error;
}

async function readMembers(label: string, compression: Compression, members: AsyncGenerator<Item>, options: PackageReadOptions): Promise<PackageMetadata> {
  const next = async (): Promise<Item | undefined> => {
    const result = await members.next();
    return result.done ? undefined : result.value;
  };
  const expect = async (name: string, position: string): Promise<Item> => {
    const item = await next();
    if (!item) throw packageErrors.archive(label, 'missing-member', `the package has no ${name} (it must be the ${position} member)`);
    if (item.entry.path !== name) {
      throw packageErrors.archive(label, 'member-order', `the ${position} member must be ${name}, found "${item.entry.path}"`);
    }
    return item;
  };

  const manifestItem = await expect(MANIFEST_MEMBER, 'first');
  if (manifestItem.entry.size > MAX_MANIFEST_BYTES) {
    throw packageErrors.manifest(label, `${MANIFEST_MEMBER} is ${manifestItem.entry.size} bytes, more than the ${MAX_MANIFEST_BYTES} allowed; it was not read`);
  }
  const manifestBytes = await manifestItem.body.readAll();
  const manifest = parseManifest(manifestBytes, label, workspaceManifestSchema);
  options.hooks?.manifest?.(manifest);

  const sumsItem = await expect(SUMS_MEMBER, 'second');
  if (sumsItem.entry.size > MAX_SUMS_BYTES) throw packageErrors.checksum(label, `${SUMS_MEMBER} is ${sumsItem.entry.size} bytes, more than the ${MAX_SUMS_BYTES} allowed`);
  const sumsBytes = await sumsItem.body.readAll();
  const sums = parseSums(sumsBytes.toString('utf8'));
  if (typeof sums === 'string') throw packageErrors.checksum(label, `${SUMS_MEMBER} is malformed: ${sums}`);

  let item = await next();
  let signatureBytes: Buffer | undefined;
  if (item?.entry.path === SIGNATURE_MEMBER) {
    if (item.entry.size > MAX_SIGNATURE_BYTES) throw packageErrors.signature(label, `${SIGNATURE_MEMBER} is ${item.entry.size} bytes; an ed25519 signature is far smaller`, 'get a fresh copy of the package');
    signatureBytes = await item.body.readAll();
    item = await next();
  }

  const payload = payloadMembers(manifest);
  for (const member of [MANIFEST_MEMBER, ...payload.keys()]) {
    if (!sums.has(member)) throw packageErrors.checksum(label, `${SUMS_MEMBER} has no sum for "${member}"`);
  }
  for (const member of sums.keys()) {
    if (member !== MANIFEST_MEMBER && !payload.has(member)) throw packageErrors.checksum(label, `${SUMS_MEMBER} lists "${member}", which workspace.json does not name`);
  }
  if (createHash('sha256').update(manifestBytes).digest('hex') !== sums.get(MANIFEST_MEMBER)) {
    throw packageErrors.checksum(label, `${MANIFEST_MEMBER} does not match its sha256 in ${SUMS_MEMBER}`);
  }
  if (sums.get(manifest.image.file) !== manifest.image.sha256) {
    throw packageErrors.checksum(label, `image.sha256 in ${MANIFEST_MEMBER} and the sum of "${manifest.image.file}" in ${SUMS_MEMBER} disagree`);
  }
  const signature = checkSignature(label, signatureBytes, manifestBytes, sumsBytes, options.trust);
  const metadata: PackageMetadata = { label, compression, manifest, manifestBytes, sumsBytes, signatureBytes, sums, signature };
  await options.hooks?.verified?.(metadata);

  const seen = new Set<string>();
  for (; item; item = await next()) {
    const { path, size } = item.entry;
    const kind = payload.get(path);
    if (!kind) {
      const why = RESERVED_MEMBERS.includes(path) ? `${path} is out of place (metadata members come first)` : `unexpected member "${path}": workspace.json does not name it`;
      throw packageErrors.archive(label, 'unexpected-member', why);
    }
    seen.add(path);
    const member: PayloadMember = { path, size, kind };
    await readPayload(label, metadata, member, item.body, options);
  }
  for (const [path, kind] of payload) {
    if (!seen.has(path)) {
      throw packageErrors.archive(label, 'missing-member', kind === 'image' ? `the disk image "${path}" (image.file) is missing from the package` : `the setup script "${path}" (setup.scripts) is missing from the package`);
    }
  }
  return metadata;
}

async function readPayload(label: string, metadata: PackageMetadata, member: PayloadMember, body: TarBody, options: PackageReadOptions): Promise<void> {
  const sink = await options.hooks?.member?.(member, metadata);
  const hash = createHash('sha256');
  const probe = member.kind === 'image' ? new ImageProbe() : undefined;
  let done = 0;
  let headChecked = false;
  for await (const chunk of body.chunks()) {
    hash.update(chunk);
    probe?.push(chunk);
    if (probe && !headChecked && probe.headReady) {
      headChecked = true;
      const early = probe.headMismatch(metadata.manifest.image.format);
      if (early) throw packageErrors.image(label, early);
    }
    if (sink) await sink.write(chunk);
    done += chunk.length;
    options.hooks?.progress?.(member, done);
  }
  await sink?.close();
  if (hash.digest('hex') !== metadata.sums.get(member.path)) {
    throw packageErrors.checksum(label, `"${member.path}" does not match its sha256 in ${SUMS_MEMBER}: the package was altered or damaged`);
  }
  const mismatch = probe?.mismatch(metadata.manifest.image.format);
  if (mismatch) throw packageErrors.image(label, mismatch);
}
