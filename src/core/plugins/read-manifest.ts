import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { NAME_PATTERN, PLUGIN_KINDS, type PluginKind, type PluginManifest } from '../../plugin-api/index.js';

export interface ManifestRead {
  manifest: PluginManifest;
  /** The plugin package's own version. */
  version: string;
  /** Absolute path of the entry module, inside the plugin folder. */
  entryPath: string;
}

export class ManifestError extends Error {}

function field(object: Record<string, unknown>, key: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new ManifestError(`manifest field twinbox.${key} is missing or not a string`);
  }
  return value;
}

/** Reads and validates the `twinbox` field of a plugin folder's package.json. */
export async function readManifest(dir: string): Promise<ManifestRead> {
  let text: string;
  try {
    text = await readFile(join(dir, 'package.json'), 'utf8');
  } catch {
    throw new ManifestError('no package.json in the plugin folder');
  }
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`package.json is not valid JSON (${(error as Error).message})`);
  }
  if (typeof pkg !== 'object' || pkg === null) throw new ManifestError('package.json is not an object');
  const twinbox = (pkg as Record<string, unknown>).twinbox;
  if (typeof twinbox !== 'object' || twinbox === null || Array.isArray(twinbox)) {
    throw new ManifestError('package.json has no "twinbox" manifest object');
  }
  const raw = twinbox as Record<string, unknown>;
  const name = field(raw, 'name');
  if (!NAME_PATTERN.test(name)) {
    throw new ManifestError(`plugin name "${name}" is invalid: use lowercase letters, digits and dashes`);
  }
  const kind = field(raw, 'kind');
  if (!(PLUGIN_KINDS as readonly string[]).includes(kind)) {
    throw new ManifestError(`plugin kind "${kind}" is unknown: use ${PLUGIN_KINDS.join(' or ')}`);
  }
  const apiVersion = field(raw, 'apiVersion');
  const entry = field(raw, 'entry');
  const entryPath = normalize(join(dir, entry));
  if (isAbsolute(entry) || !entryPath.startsWith(normalize(dir) + sep)) {
    throw new ManifestError(`entry "${entry}" must be a relative path inside the plugin folder`);
  }
  const displayName = typeof raw.displayName === 'string' ? raw.displayName : undefined;
  const version = typeof (pkg as Record<string, unknown>).version === 'string' ? String((pkg as Record<string, unknown>).version) : '0.0.0';
  return { manifest: { name, kind: kind as PluginKind, apiVersion, entry, displayName }, version, entryPath };
}
