/**
 * Rules on a package manifest's values that are needed without the whole schema: the registry
 * reads a stored manifest's identity while rebuilding itself (on every command that opens it,
 * `status --json` included), and loading zod and the schema there cost a third of that
 * command's start (measured: −39 ms of ~110 ms). The schema uses the same functions, so the
 * rule is written once.
 */
import { NAME_PATTERN, parseSemver } from '../../plugin-api/index.js';

/** The largest workspace.json twinbox reads: anything bigger is refused before parsing. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

/** A path inside the package: relative, forward slashes, no `..`, 1–255 characters. */
export function isPackagePath(path: string): boolean {
  return path.length >= 1 && path.length <= 255 && !path.startsWith('/') && !path.split('/').includes('..') && !path.includes('\\');
}

/** What the package pattern and semver both accept as a version (`1.2.0`, `1.2.0-rc.1`). */
export function isPackageVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(version) && parseSemver(version, { loose: true }) !== undefined;
}

export interface StoredManifestIdentity {
  name: string;
  version: string;
  /** '' when the manifest has none, as the schema defaults it. */
  description: string;
  imageFile: string;
}

/**
 * The identity of a manifest twinbox itself wrote into the store at install (validated then in
 * full, and again in full by whoever loads it to use it): name, version, description and the
 * image's path, each checked by the schema's own rules; anything else is no identity.
 */
export function storedManifestIdentity(raw: unknown): StoredManifestIdentity | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { name, version, description, image } = raw as Record<string, unknown>;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || typeof version !== 'string' || !isPackageVersion(version)) return undefined;
  if (description !== undefined && (typeof description !== 'string' || description.length > 500)) return undefined;
  if (typeof image !== 'object' || image === null) return undefined;
  const file = (image as Record<string, unknown>).file;
  if (typeof file !== 'string' || !isPackagePath(file)) return undefined;
  return { name, version, description: description ?? '', imageFile: file };
}
