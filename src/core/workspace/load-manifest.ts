import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TwinboxError } from '../../plugin-api/index.js';
import { describeIssues, MAX_MANIFEST_BYTES, workspaceManifestSchema, type WorkspaceManifest } from '../package/manifest-schema.js';

export const MANIFEST_FILE = 'workspace.json';

function unreadable(name: string, problem: string, cause?: unknown): TwinboxError {
  return new TwinboxError('workspace-manifest-unreadable', `the installed package of workspace "${name}" is damaged: ${problem}`, {
    hint: `reinstall the package, or remove it with \`twinbox uninstall ${name}\``,
    cause,
  });
}

/** The workspace.json an install unpacked into the store, validated again: the store may have been edited since. */
export async function loadManifest(storeDir: string, name: string): Promise<WorkspaceManifest> {
  return (await loadManifestWithRaw(storeDir, name)).manifest;
}

/**
 * The validated manifest and the JSON it was read from (the package's settings layer is read
 * from the raw file). A small file is read at once: an asynchronous read costs several
 * round trips through the thread pool, which listing fifty workspaces paid fifty times.
 */
export async function loadManifestWithRaw(storeDir: string, name: string): Promise<{ manifest: WorkspaceManifest; raw: unknown }> {
  let text: string;
  try {
    text = readFileSync(join(storeDir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    throw unreadable(name, `${MANIFEST_FILE} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES) throw unreadable(name, `${MANIFEST_FILE} is larger than ${MAX_MANIFEST_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw unreadable(name, `${MANIFEST_FILE} is not JSON`, error);
  }
  const parsed = workspaceManifestSchema.safeParse(raw);
  if (!parsed.success) throw unreadable(name, `${MANIFEST_FILE}: ${describeIssues(parsed.error).join('; ')}`);
  return { manifest: parsed.data, raw };
}
