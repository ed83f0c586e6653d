import fs, { existsSync, fstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { writeFileAtomic, writeFileAtomicSync } from '../../src/plugin-api/atomic-write.js';
import { TEMPORARY_NAME } from '../../src/plugin-api/temp-sweep.js';
import { tempDir } from '../helpers/temp.js';

const writers = [
  ['async', (path: string, content: string, options?: Parameters<typeof writeFileAtomic>[2]) => writeFileAtomic(path, content, options)],
  ['sync', async (path: string, content: string, options?: Parameters<typeof writeFileAtomicSync>[2]) => writeFileAtomicSync(path, content, options)],
] as const;

for (const [kind, write] of writers) {
  test.serial(`${kind}: the file gets its mode whatever the umask, 0600 unless told`, async (t) => {
    const dir = tempDir(t, 'tbx-atomic-');
    const umask = process.umask(0o077);
    try {
      await write(join(dir, 'private.json'), '{}\n');
      await write(join(dir, 'metrics.prom'), 'up 1\n', { mode: 0o644 });
      await write(join(dir, 'metrics.prom'), 'up 2\n', { mode: 0o644 });
    } finally {
      process.umask(umask);
    }
    t.is(statSync(join(dir, 'private.json')).mode & 0o777, 0o600);
    t.is(statSync(join(dir, 'metrics.prom')).mode & 0o777, 0o644);
    t.is(readFileSync(join(dir, 'metrics.prom'), 'utf8'), 'up 2\n');
    t.deepEqual(readdirSync(dir).sort(), ['metrics.prom', 'private.json']);
  });

  test(`${kind}: a missing folder is made with dirMode, and fails the write without it`, async (t) => {
    const dir = tempDir(t, 'tbx-atomic-');
    await t.throwsAsync(write(join(dir, 'missing', 'file'), 'x'), { code: 'ENOENT' } as never);
    t.false(existsSync(join(dir, 'missing')));
    await write(join(dir, 'made', 'deeper', 'file'), 'x', { dirMode: 0o700 });
    t.is(readFileSync(join(dir, 'made', 'deeper', 'file'), 'utf8'), 'x');
    t.is(statSync(join(dir, 'made', 'deeper')).mode & 0o777, 0o700);
  });

  test(`${kind}: a failed write leaves the previous file and no temporary file`, async (t) => {
    const dir = tempDir(t, 'tbx-atomic-');
    // A folder where the file should go: the rename over it fails, after the write and the flush.
    mkdirSync(join(dir, 'target'));
    writeFileSync(join(dir, 'target', 'inside'), 'kept');
    await t.throwsAsync(write(join(dir, 'target'), 'new'));
    t.deepEqual(readdirSync(dir), ['target']);
    t.is(readFileSync(join(dir, 'target', 'inside'), 'utf8'), 'kept');
  });
}

test.serial('sync: the file is flushed before its rename, then the folder after it, through a temporary name the sweep knows', (t) => {
  const dir = tempDir(t, 'tbx-atomic-');
  const target = join(dir, 'policy-last-good.json');
  const steps: string[] = [];
  const { fsyncSync, renameSync } = fs;
  fs.fsyncSync = (fd) => {
    steps.push(fstatSync(fd).isDirectory() ? 'fsync folder' : 'fsync file');
    fsyncSync(fd);
  };
  fs.renameSync = (from, to) => {
    steps.push(`rename ${TEMPORARY_NAME.test(basename(String(from))) && basename(String(from)).startsWith(`.policy-last-good.json.${process.pid}.`) ? 'temporary' : String(from)} to ${basename(String(to))}`);
    renameSync(from, to);
  };
  syncBuiltinESMExports();
  try {
    writeFileAtomicSync(target, '{}\n');
  } finally {
    fs.fsyncSync = fsyncSync;
    fs.renameSync = renameSync;
    syncBuiltinESMExports();
  }
  t.deepEqual(steps, ['fsync file', 'rename temporary to policy-last-good.json', 'fsync folder']);
});

test.serial('async: the file is flushed before its rename, then the folder after it', async (t) => {
  const dir = tempDir(t, 'tbx-atomic-');
  const probe = await open(join(dir, 'probe'), 'w');
  const FileHandle = Object.getPrototypeOf(probe) as { sync(this: { fd: number }): Promise<void> };
  await probe.close();
  const steps: string[] = [];
  const { sync } = FileHandle;
  const { rename } = fs.promises;
  FileHandle.sync = function (this: { fd: number }) {
    steps.push(fstatSync(this.fd).isDirectory() ? 'fsync folder' : 'fsync file');
    return sync.call(this);
  };
  fs.promises.rename = async (from, to) => {
    steps.push(`rename ${TEMPORARY_NAME.test(basename(String(from))) ? 'temporary' : String(from)} to ${basename(String(to))}`);
    return rename(from, to);
  };
  syncBuiltinESMExports();
  try {
    await writeFileAtomic(join(dir, 'journal.json'), '{}\n');
  } finally {
    FileHandle.sync = sync;
    fs.promises.rename = rename;
    syncBuiltinESMExports();
  }
  t.deepEqual(steps, ['fsync file', 'rename temporary to journal.json', 'fsync folder']);
});

test('writers racing in several processes: a reader only ever sees one whole version, and no temporary file is left', async (t) => {
  const dir = tempDir(t, 'tbx-atomic-');
  const file = join(dir, 'record.json');
  const module = new URL('../../src/plugin-api/atomic-write.js', import.meta.url).href;
  const size = 256 * 1024;
  writeFileSync(file, 'x'.repeat(size));
  const writer = (letter: string, sync: boolean) =>
    execa(process.execPath, ['--input-type=module', '-e', `const { writeFileAtomic, writeFileAtomicSync } = await import(${JSON.stringify(module)});
      for (let i = 0; i < 60; i++) ${sync ? 'writeFileAtomicSync' : 'await writeFileAtomic'}(${JSON.stringify(file)}, ${JSON.stringify(letter)}.repeat(${size}));`]);
  const running = [writer('a', false), writer('b', true), writer('c', false), writer('d', true)];
  let done = false;
  const finished = Promise.all(running).finally(() => {
    done = true;
  });
  const seen = new Set<string>();
  const partial: string[] = [];
  let reads = 0;
  while (!done) {
    const text = readFileSync(file, 'utf8');
    reads++;
    if (text.length !== size || text !== text[0]!.repeat(size)) partial.push(`${text.length} bytes starting ${text.slice(0, 8)}`);
    seen.add(text[0]!);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await finished;
  t.deepEqual(partial, [], 'every read saw one whole version');
  t.true(reads > 0);
  t.log(`${reads} reads saw versions ${[...seen].sort().join('')}`);
  t.deepEqual(readdirSync(dir), ['record.json']);
});
