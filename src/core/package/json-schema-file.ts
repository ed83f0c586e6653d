import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourceManifestJsonSchema } from './manifest-schema.js';

/** schema/workspace.schema.json, relative to the repository root. */
export const JSON_SCHEMA_PATH = 'schema/workspace.schema.json';

/**
 * The JSON Schema editors use to check a workspace folder's workspace.json, generated from
 * the zod schema so the two never disagree (a test compares the committed file with this).
 */
export function renderManifestJsonSchema(): string {
  const schema = sourceManifestJsonSchema() as Record<string, unknown>;
  return `${JSON.stringify({ ...schema, title: 'twinbox workspace.json', description: 'The settings of a twinbox workspace package, as written in its source folder (see `twinbox pack --help`).' }, null, 2)}\n`;
}

// `node build/src/core/package/json-schema-file.js` regenerates the file from the repository root.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(JSON_SCHEMA_PATH, renderManifestJsonSchema());
  process.stdout.write(`wrote ${JSON_SCHEMA_PATH}\n`);
}
