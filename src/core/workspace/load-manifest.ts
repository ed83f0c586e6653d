import { join } from 'node:path';
import { TwinboxError } from '../../plugin-api/index.js';
import { FileShapeError, readRegularFileSync } from '../policy/read-regular-file.js';
import { JsonLimitError, parseBoundedJson } from '../policy/bounded-json.js';
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
    // The store may hold anything by now: a FIFO there must not hang `status`, nor /dev/zero fill memory.
    text = readRegularFileSync(join(storeDir, MANIFEST_FILE), MAX_MANIFEST_BYTES).toString('utf8');
  } catch (error) {
    if (!(error instanceof FileShapeError)) throw error;
    const problem = error.problem.startsWith('unreadable (') ? `cannot be read (${error.problem.slice('unreadable ('.length)}` : `is ${error.problem}`;
    throw unreadable(name, `${MANIFEST_FILE} ${problem}`, error);
  }
  let raw: unknown;
  try {
    raw = parseBoundedJson(text);
  } catch (error) {
    throw unreadable(name, error instanceof JsonLimitError ? `${MANIFEST_FILE} is ${error.message}` : `${MANIFEST_FILE} is not JSON`, error);
  }
  const parsed = workspaceManifestSchema.safeParse(raw);
  if (!parsed.success) throw unreadable(name, `${MANIFEST_FILE}: ${describeIssues(parsed.error).join('; ')}`);
  return { manifest: parsed.data, raw };
}
