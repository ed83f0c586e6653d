import test from 'ava';
import { describeIssues, workspaceManifestSchema } from '../../../src/core/package/manifest-schema.js';

const BASE = { name: 'office', version: '1.0.0', image: { file: 'disk.qcow2', format: 'qcow2', sha256: 'a'.repeat(64) } };

test('an rdp section gets port 3389, user twinbox and RemoteApp on by default; without one there is none', (t) => {
  t.deepEqual(workspaceManifestSchema.parse({ ...BASE, rdp: {} }).rdp, { port: 3389, user: 'twinbox', remoteApp: true });
  t.deepEqual(workspaceManifestSchema.parse({ ...BASE, rdp: { port: 3390, user: 'rdp-apps', domain: 'corp.example', remoteApp: false } }).rdp, { port: 3390, user: 'rdp-apps', domain: 'corp.example', remoteApp: false });
  t.is(workspaceManifestSchema.parse(BASE).rdp, undefined);
});

test('an rdp user or domain FreeRDP would read differently, a bad port or an unknown field is refused naming the field', (t) => {
  const problems = (rdp: unknown) => {
    const result = workspaceManifestSchema.safeParse({ ...BASE, rdp });
    return result.success ? [] : describeIssues(result.error);
  };
  t.deepEqual(problems({ user: 'CORP\\ann' }), ['rdp.user: use 1–64 letters, digits, _, . and -, starting with a letter, digit or _']);
  t.deepEqual(problems({ user: 'ann@corp' }), ['rdp.user: use 1–64 letters, digits, _, . and -, starting with a letter, digit or _']);
  t.deepEqual(problems({ domain: 'a,b' }), ['rdp.domain: use letters, digits, . and -']);
  t.is(problems({ port: 0 }).length, 1);
  t.regex(problems({ password: 'x' })[0]!, /^rdp: Unrecognized key/);
});
