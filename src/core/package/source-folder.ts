import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TwinboxError } from '../../plugin-api/index.js';
import { packageErrors } from './errors.js';
import { MAX_MANIFEST_BYTES, sourceManifestSchema, type SourceManifest } from './manifest-schema.js';
import { parseManifest } from './manifest-parse.js';
import { MANIFEST_MEMBER } from './package-format.js';

/** A file of the source folder that goes into the package. */
export interface SourceFile {
  /** Its name in the package. */
  member: string;
  path: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
}

/** An administrator's workspace folder: workspace.json, the disk image and the setup scripts. */
export interface SourceFolder {
  dir: string;
  /** workspace.json as written, for packing with only image.sha256 filled in. */
  raw: Record<string, unknown>;
  manifest: SourceManifest;
  manifestMtime: number;
  image: SourceFile;
  scripts: SourceFile[];
  /** image.sha256 when the folder states it; pack then checks the image against it. */
  declaredSha256?: string;
}

function sourceError(message: string, hint: string): TwinboxError {
  return new TwinboxError('pack-source', message, { exit: 'usage', hint });
}

async function sourceFile(dir: string, member: string, field: string): Promise<SourceFile> {
  const path = join(dir, member);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw sourceError(`${field} names ${member}, which is not in ${dir}`, 'put the file in the folder or fix workspace.json');
  }
  if (!info.isFile()) throw sourceError(`${field} names ${member}, which is not a regular file`, 'name a file, not a folder or a device');
  return { member, path, size: info.size, mtime: Math.floor(info.mtimeMs / 1000) };
}

/** Reads and checks the folder; the disk image is only looked at, not read. */
export async function readSourceFolder(dir: string): Promise<SourceFolder> {
  let folder;
  try {
    folder = await stat(dir);
  } catch {
    throw sourceError(`no folder at ${dir}`, 'give the folder that holds workspace.json');
  }
  if (!folder.isDirectory()) throw sourceError(`${dir} is not a folder`, 'give the folder that holds workspace.json');
  const manifestPath = join(dir, MANIFEST_MEMBER);
  let info;
  try {
    info = await stat(manifestPath);
  } catch {
    throw sourceError(`${dir} has no ${MANIFEST_MEMBER}`, 'write workspace.json (see examples/hello) in the folder');
  }
  if (info.size > MAX_MANIFEST_BYTES) {
    throw packageErrors.manifest(dir, `${MANIFEST_MEMBER} is ${info.size} bytes, more than the ${MAX_MANIFEST_BYTES} allowed`);
  }
  const bytes = await readFile(manifestPath);
  const manifest = parseManifest(bytes, dir, sourceManifestSchema);
  const raw = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
  const image = await sourceFile(dir, manifest.image.file, 'image.file');
  if (image.size === 0) throw sourceError(`the disk image ${image.member} is empty`, 'build the image first');
  const scripts = [];
  for (const [index, script] of manifest.setup.scripts.entries()) scripts.push(await sourceFile(dir, script, `setup.scripts.${index}`));
  const declared = manifest.image.sha256;
  return {
    dir,
    raw,
    manifest,
    manifestMtime: Math.floor(info.mtimeMs / 1000),
    image,
    scripts,
    declaredSha256: declared === undefined || declared === 'auto' ? undefined : declared,
  };
}
