import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTRY_FORMAT, WorkspaceRegistry } from '../../../src/core/workspace/registry.js';
import { entryRecordPath } from '../../../src/core/workspace/registry-record.js';

/** A registry as twinbox wrote it before format 2: the file alone, no copies beside the workspaces. */
function formatOneRegistry(dataDir: string): void {
  const entry = (name: string) => ({
    name,
    version: '1.0.0',
    description: '',
    installedAt: '2026-11-01T10:00:00.000Z',
    storeDir: join(dataDir, 'store', name, '1.0.0'),
    imagePath: join(dataDir, 'store', name, '1.0.0', 'disk.img'),
    hypervisor: 'fake',
    setup: { state: 'ready', code: 0 },
  });
  for (const name of ['office', 'legacy']) mkdirSync(join(dataDir, 'workspaces', name), { recursive: true });
  writeFileSync(join(dataDir, 'registry.json'), `${JSON.stringify({ workspaces: { office: entry('office'), legacy: entry('legacy') } }, null, '\t')}\n`, { mode: 0o600 });
}

function recordedFormat(dataDir: string): unknown {
  return (JSON.parse(readFileSync(join(dataDir, 'registry.json'), 'utf8')) as { __internal__?: { migrations?: { version?: string } } }).__internal__?.migrations?.version;
}

test('a registry of format 1 is migrated by conf once: each entry gets its copy, the format is recorded, entries unchanged', (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tbx-regmig-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  formatOneRegistry(dataDir);
  const before = (JSON.parse(readFileSync(join(dataDir, 'registry.json'), 'utf8')) as { workspaces: unknown }).workspaces;

  const registry = new WorkspaceRegistry(dataDir);
  t.is(registry.rebuilt, undefined);
  t.deepEqual(registry.list().map((entry) => entry.name), ['legacy', 'office']);
  t.is(recordedFormat(dataDir), REGISTRY_FORMAT);
  t.deepEqual((JSON.parse(readFileSync(join(dataDir, 'registry.json'), 'utf8')) as { workspaces: unknown }).workspaces, before);
  for (const name of ['office', 'legacy']) t.like(JSON.parse(readFileSync(entryRecordPath(dataDir, name), 'utf8')), { name, version: '1.0.0', hypervisor: 'fake' });
  t.is(statSync(entryRecordPath(dataDir, 'office')).mode & 0o777, 0o600);
  t.false(existsSync(join(dataDir, 'registry.lock')), 'the migration lock is released');

  // Already of this format: opened with nothing written, even with a copy gone meanwhile.
  rmSync(entryRecordPath(dataDir, 'legacy'));
  const stamp = statSync(join(dataDir, 'registry.json'), { bigint: true });
  new WorkspaceRegistry(dataDir).list();
  const after = statSync(join(dataDir, 'registry.json'), { bigint: true });
  t.is(after.ino, stamp.ino);
  t.is(after.mtimeNs, stamp.mtimeNs);
  t.false(existsSync(entryRecordPath(dataDir, 'legacy')));
});

test('a new registry is created at the current format', (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tbx-regmig-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const registry = new WorkspaceRegistry(dataDir);
  t.deepEqual(registry.list(), []);
  t.is(recordedFormat(dataDir), REGISTRY_FORMAT);
});

/** A tmpfs the test can make read-only, as a read-only home or another user's registry is to this process. */
function mountable(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tbx-regro-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const mountPoint = process.getuid?.() === 0 ? mountable() : undefined;
const onTmpfs = mountPoint ? test.serial : test.skip;
if (!mountPoint) console.log('registry-migration: mounting a tmpfs needs root; the read-only case is skipped');

onTmpfs('a registry this process cannot write is read unmigrated, and the next writer migrates it', (t) => {
  const dir = mountPoint!;
  t.teardown(() => {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  formatOneRegistry(dir);
  execFileSync('mount', ['-o', 'remount,ro', dir]);
  const reader = new WorkspaceRegistry(dir);
  t.deepEqual(reader.list().map((entry) => entry.name), ['legacy', 'office']);
  t.is(recordedFormat(dir), undefined);
  t.false(existsSync(entryRecordPath(dir, 'office')));

  execFileSync('mount', ['-o', 'remount,rw', dir]);
  new WorkspaceRegistry(dir).list();
  t.is(recordedFormat(dir), REGISTRY_FORMAT);
  t.true(existsSync(entryRecordPath(dir, 'office')));
});
