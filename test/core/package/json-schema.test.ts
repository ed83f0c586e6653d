import { readFileSync } from 'node:fs';
import test from 'ava';
import { renderManifestJsonSchema } from '../../../src/core/package/json-schema-file.js';

const root = new URL('../../../../', import.meta.url);

test('schema/workspace.schema.json is the schema generated from the zod schema', (t) => {
  const committed = readFileSync(new URL('schema/workspace.schema.json', root), 'utf8');
  t.is(committed, renderManifestJsonSchema(), 'regenerate it: node build/src/core/package/json-schema-file.js');
});

test('the hello example\'s workspace.json points editors at the schema', (t) => {
  const manifest = JSON.parse(readFileSync(new URL('examples/hello/workspace.json', root), 'utf8')) as { $schema: string };
  t.is(manifest.$schema, '../../schema/workspace.schema.json');
});
