import test from 'ava';
import fc from 'fast-check';
import { storedManifestIdentity } from '../../../src/core/package/manifest-rules.js';
import { workspaceManifestSchema } from '../../../src/core/package/manifest-schema.js';

const valid = {
  name: 'office',
  version: '1.2.0',
  image: { file: 'disk/office.qcow2', format: 'qcow2', sha256: 'a'.repeat(64) },
};

test('the identity of a stored manifest is read without the schema, by the same rules', (t) => {
  t.true(workspaceManifestSchema.safeParse(valid).success);
  t.deepEqual(storedManifestIdentity(valid), { name: 'office', version: '1.2.0', description: '', imageFile: 'disk/office.qcow2' });
  t.is(storedManifestIdentity({ ...valid, description: 'Office 2010' })?.description, 'Office 2010');
  for (const file of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'disk\\x.img', '', 'x'.repeat(256)]) {
    t.is(storedManifestIdentity({ ...valid, image: { ...valid.image, file } }), undefined, file);
    t.false(workspaceManifestSchema.safeParse({ ...valid, image: { ...valid.image, file } }).success, file);
  }
  for (const bad of [null, [], 'office', { ...valid, name: 'Office' }, { ...valid, version: '1.2' }, { ...valid, version: '1.0.0-a..b' }, { ...valid, image: 'disk.img' }, { ...valid, description: 7 }]) {
    t.is(storedManifestIdentity(bad), undefined, JSON.stringify(bad));
  }
});

test('whatever the schema accepts, the identity reader accepts with the same name, version and image path', (t) => {
  const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/).filter((part) => part !== '..');
  fc.assert(
    fc.property(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99), fc.option(fc.stringMatching(/^[0-9A-Za-z.-]{1,8}$/), { nil: undefined })),
      fc.array(fc.oneof(segment, fc.constant('..'), fc.constant('')), { minLength: 1, maxLength: 4 }),
      (name, [major, minor, patch, pre], parts) => {
        const version = `${major}.${minor}.${patch}${pre === undefined ? '' : `-${pre}`}`;
        const manifest = { ...valid, name, version, image: { ...valid.image, file: parts.join('/') } };
        const parsed = workspaceManifestSchema.safeParse(manifest);
        const identity = storedManifestIdentity(manifest);
        if (parsed.success) return identity !== undefined && identity.name === parsed.data.name && identity.version === parsed.data.version && identity.imageFile === parsed.data.image.file;
        // The schema may refuse for reasons outside the identity; only name, version and path are compared.
        const identityIssues = parsed.error.issues.filter((issue) => ['name', 'version', 'image'].includes(String(issue.path[0])));
        return identityIssues.length === 0 || identity === undefined;
      },
    ),
    { seed: 20261207, numRuns: 500 },
  );
  t.pass();
});
