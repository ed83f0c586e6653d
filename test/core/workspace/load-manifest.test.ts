import test from 'ava';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest, MANIFEST_FILE, VALIDATED_FILE } from '../../../src/core/workspace/load-manifest.js';

const MANIFEST = { name: 'office', version: '1.0.0', image: { file: 'disk.img', format: 'raw', sha256: 'a'.repeat(64) } };

function store(t: { teardown: (fn: () => void) => void }, manifest: unknown = MANIFEST): string {
  const dir = mkdtempSync(join(tmpdir(), 'tbx-manifest-'));
  t.teardown(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest), { mode: 0o444 });
  return dir;
}

const record = (dir: string) => JSON.parse(readFileSync(join(dir, VALIDATED_FILE), 'utf8')) as { schema: string; source: string; manifest: { description: string } };

test('a manifest validated by this schema is read back without validating; the record has the manifest’s mode', async (t) => {
  const dir = store(t);
  const first = await loadManifest(dir, 'office', 'schema-a');
  t.is(first.description, '', 'the schema filled its default');
  t.is(record(dir).schema, 'schema-a');
  t.is(statSync(join(dir, VALIDATED_FILE)).mode & 0o777, 0o444);
  // What the record says is what is returned: proof that the schema did not run again.
  const saved = record(dir);
  writeFileSync(join(dir, VALIDATED_FILE), JSON.stringify({ ...saved, manifest: { ...saved.manifest, description: 'from the record' } }), { mode: 0o644 });
  t.is((await loadManifest(dir, 'office', 'schema-a')).description, 'from the record');
});

test('another schema, an edited workspace.json or a damaged record: validated again, and the record rewritten', async (t) => {
  const dir = store(t);
  await loadManifest(dir, 'office', 'schema-a');
  const saved = record(dir);
  writeFileSync(join(dir, VALIDATED_FILE), JSON.stringify({ ...saved, manifest: { ...saved.manifest, description: 'stale' } }));
  t.is((await loadManifest(dir, 'office', 'schema-b')).description, '', 'another schema validates again');
  t.is(record(dir).schema, 'schema-b');

  chmodSync(join(dir, MANIFEST_FILE), 0o644);
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...MANIFEST, description: 'edited' }));
  t.is((await loadManifest(dir, 'office', 'schema-b')).description, 'edited', 'an edit of workspace.json is seen');

  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...MANIFEST, image: { ...MANIFEST.image, file: '../../etc/passwd' } }));
  await t.throwsAsync(loadManifest(dir, 'office', 'schema-b'), { code: 'workspace-manifest-unreadable' }, 'an edit the schema refuses is refused, whatever the record held');

  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(MANIFEST));
  writeFileSync(join(dir, VALIDATED_FILE), '{"schema": "schema-b", "source": ');
  t.is((await loadManifest(dir, 'office', 'schema-b')).name, 'office', 'a damaged record is only a miss');
  t.is(record(dir).schema, 'schema-b');
});

test('without a schema id (the unbundled build) every load validates and nothing is written; a store it may not write is read all the same', async (t) => {
  const dir = store(t);
  t.is((await loadManifest(dir, 'office', undefined)).name, 'office');
  t.false(existsSync(join(dir, VALIDATED_FILE)));
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    t.is((await loadManifest(dir, 'office', 'schema-a')).name, 'office');
    t.false(existsSync(join(dir, VALIDATED_FILE)));
  }
});
