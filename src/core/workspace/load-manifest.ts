import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TwinboxError, writeFileAtomicSync } from '../../plugin-api/index.js';
import { FileShapeError, readRegularFileSync } from '../policy/read-regular-file.js';
import { JsonLimitError, parseBoundedJson } from '../policy/bounded-json.js';
import { MAX_MANIFEST_BYTES } from '../package/manifest-rules.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';

export const MANIFEST_FILE = 'workspace.json';

declare const __TWINBOX_MANIFEST_SCHEMA_ID__: string | undefined;

/**
 * Which schema validated a manifest: set by the bundle (scripts/bundle.js) to a hash of the
 * schema's compiled code and of zod's version, so any change to either is another schema.
 * The unbundled build (what unit tests import) has none, and validates every time.
 */
export const MANIFEST_SCHEMA_ID: string | undefined = typeof __TWINBOX_MANIFEST_SCHEMA_ID__ === 'string' ? __TWINBOX_MANIFEST_SCHEMA_ID__ : undefined;

/**
 * Beside workspace.json in the store: the manifest as the schema parsed it (defaults filled),
 * with the hash of the file it came from and the schema's id. Loading a manifest that matches
 * both takes no validation (zod and the schema are a third of a `twinbox run`'s start-up, about
 * 55 ms of CPU here); any edit of workspace.json, or another twinbox's schema, validates it again.
 * Written by whoever may write the store (the installer: the user, or the administrator for a
 * machine-wide workspace), with the manifest's own mode; never trusted for another file.
 */
export const VALIDATED_FILE = '.workspace.validated.json';

interface ValidatedRecord {
  schema: string;
  source: string;
  manifest: WorkspaceManifest;
}

function readValidated(storeDir: string, schema: string, source: string): WorkspaceManifest | undefined {
  try {
    const record = parseBoundedJson(readRegularFileSync(join(storeDir, VALIDATED_FILE), 4 * MAX_MANIFEST_BYTES).toString('utf8')) as Partial<ValidatedRecord> | null;
    if (!record || record.schema !== schema || record.source !== source || typeof record.manifest !== 'object' || record.manifest === null) return undefined;
    return record.manifest;
  } catch {
    return undefined;
  }
}

function writeValidated(storeDir: string, record: ValidatedRecord): void {
  try {
    const mode = statSync(join(storeDir, MANIFEST_FILE)).mode & 0o666;
    writeFileAtomicSync(join(storeDir, VALIDATED_FILE), `${JSON.stringify(record)}\n`, { mode });
  } catch {
    // A store this process may not write (another user's machine-wide package): validated each time.
  }
}

function unreadable(name: string, problem: string, cause?: unknown): TwinboxError {
  return new TwinboxError('workspace-manifest-unreadable', `the installed package of workspace "${name}" is damaged: ${problem}`, {
    hint: `reinstall the package, or remove it with \`twinbox uninstall ${name}\``,
    cause,
  });
}

/** The workspace.json an install unpacked into the store, validated again unless this very file was validated by this schema. */
export async function loadManifest(storeDir: string, name: string, schemaId: string | undefined = MANIFEST_SCHEMA_ID): Promise<WorkspaceManifest> {
  return (await loadManifestWithRaw(storeDir, name, schemaId)).manifest;
}

/**
 * The validated manifest and the JSON it was read from (the package's settings layer is read
 * from the raw file). A small file is read at once: an asynchronous read costs several
 * round trips through the thread pool, which listing fifty workspaces paid fifty times.
 */
export async function loadManifestWithRaw(storeDir: string, name: string, schemaId: string | undefined = MANIFEST_SCHEMA_ID): Promise<{ manifest: WorkspaceManifest; raw: unknown }> {
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
  const source = createHash('sha256').update(text).digest('hex');
  if (schemaId !== undefined) {
    const validated = readValidated(storeDir, schemaId, source);
    if (validated) return { manifest: validated, raw };
  }
  const { describeIssues, workspaceManifestSchema } = await import('../package/manifest-schema.js');
  const parsed = workspaceManifestSchema.safeParse(raw);
  if (!parsed.success) throw unreadable(name, `${MANIFEST_FILE}: ${describeIssues(parsed.error).join('; ')}`);
  if (schemaId !== undefined) writeValidated(storeDir, { schema: schemaId, source, manifest: parsed.data });
  return { manifest: parsed.data, raw };
}
