import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { acquireFileLock, fileLockHolder, waitForFileLock, withFileLock } from '../../src/plugin-api/file-lock.js';
import { tempDir } from '../helpers/temp.js';

const lockModule = new URL('../../src/plugin-api/file-lock.js', import.meta.url).href;

async function deadPid(): Promise<number> {
  const child = execa(process.execPath, ['-e', '0']);
  await child;
  return child.pid!;
}

/**
 * A process that takes the short lock `rounds` times; inside it, it creates `inside`
 * exclusively (failing if another holder is inside too), adds one to a plain counter file
 * with an unprotected read and write, and leaves.
 */
function contender(dir: string, rounds: number) {
  const script = `const { acquireFileLock } = await import(${JSON.stringify(lockModule)});
    const { openSync, closeSync, unlinkSync, readFileSync, writeFileSync } = await import('node:fs');
    const dir = ${JSON.stringify(dir)};
    for (let i = 0; i < ${rounds}; i++) {
      const lock = acquireFileLock(dir + '/lock', 'count', { waitMs: 30000, pollMs: 1 });
      try {
        closeSync(openSync(dir + '/inside', 'wx'));
        const n = Number(readFileSync(dir + '/count', 'utf8'));
        writeFileSync(dir + '/count', String(n + 1));
        unlinkSync(dir + '/inside');
      } finally {
        lock.release();
      }
    }`;
  return execa(process.execPath, ['--input-type=module', '-e', script], { reject: false });
}

/** Four contenders at once; a process finding another inside the lock dies of EEXIST on "inside". */
async function contend(t: ExecutionContext, dir: string, rounds: number): Promise<void> {
  const runs = await Promise.all(Array.from({ length: 4 }, () => contender(dir, rounds)));
  t.deepEqual(runs.map((run) => run.exitCode), [0, 0, 0, 0], runs.map((run) => run.stderr).join('\n'));
}

test('a lock is held by one process at a time, however many contend for it, and no count is lost', async (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  writeFileSync(join(dir, 'count'), '0');
  await contend(t, dir, 150);
  t.is(readFileSync(join(dir, 'count'), 'utf8'), '600');
  t.deepEqual(readdirSync(dir).sort(), ['count']);
});

test('a stale lock found by several processes at once is recovered once: they still take it one at a time', async (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  writeFileSync(join(dir, 'count'), '0');
  for (let round = 0; round < 5; round++) {
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: await deadPid(), operation: 'crashed', since: new Date().toISOString() }));
    await contend(t, dir, 5);
  }
  t.is(readFileSync(join(dir, 'count'), 'utf8'), '100');
  t.deepEqual(readdirSync(dir).sort(), ['count']);
});

test('a breaker left by a remover that died is cleared once it is old, and the stale lock is then recovered', async (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  const file = join(dir, 'lock');
  writeFileSync(file, JSON.stringify({ pid: await deadPid(), operation: 'crashed', since: new Date().toISOString() }));
  writeFileSync(`${file}.break`, '{}');
  const { utimesSync } = await import('node:fs');
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${file}.break`, old, old);
  const taken = acquireFileLock(file, 'start', { waitMs: 2000 });
  t.like(fileLockHolder(file), { pid: process.pid, operation: 'start' });
  taken.release();
  t.deepEqual(readdirSync(dir), []);
});

test('a busy lock is named in its own words, or fails with the error the caller gives', (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  const file = join(dir, 'registry.lock');
  const held = acquireFileLock(file, 'install of office');
  t.throws(() => acquireFileLock(file, 'start'), { message: `${file} is already locked by this process for install of office` });
  t.throws(() => acquireFileLock(file, 'start', { what: 'the workspace registry' }), { message: 'the workspace registry is already locked by this process for install of office' });
  const error = t.throws(() => acquireFileLock(file, 'start', { busy: (holder) => new Error(`held by ${holder?.pid} for ${holder?.operation}`) }));
  t.is(error.message, `held by ${process.pid} for install of office`);
  held.release();
});

test('another process\'s busy lock fails with exit code 75 naming it; waiting for it ends once it is released', async (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  const file = join(dir, 'lock');
  const holder = execa(process.execPath, ['--input-type=module', '-e', `const { acquireFileLock } = await import(${JSON.stringify(lockModule)});
    const lock = acquireFileLock(${JSON.stringify(file)}, 'a long job');
    console.log('held');
    process.stdin.once('data', () => lock.release());`]);
  await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
  const busy = t.throws(() => acquireFileLock(file, 'start', { what: 'the thing' }));
  t.like(busy, { code: 'busy', exitCode: 75, message: `the thing is busy: a long job by process ${holder.pid} since ${fileLockHolder(file)!.since}` });
  await t.throwsAsync(waitForFileLock(file, 'start', { waitMs: 50 }), { code: 'busy' } as never);
  // The holder lets go only once told, while this process is already waiting.
  const waiting = waitForFileLock(file, 'start', { waitMs: 60_000, pollMs: 5 });
  holder.stdin!.end('release\n');
  const taken = await waiting;
  t.like(fileLockHolder(file), { pid: process.pid, operation: 'start' });
  taken.release();
  await holder;
});

test('withFileLock releases the lock however its body ends', async (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  const file = join(dir, 'lock');
  t.is(await withFileLock(file, 'count', async () => fileLockHolder(file)?.operation), 'count');
  t.false(existsSync(file));
  await t.throwsAsync(withFileLock(file, 'count', async () => Promise.reject(new Error('boom'))), { message: 'boom' });
  t.false(existsSync(file));
});

test('a lock of an earlier version holding a bare dead pid is stale, recovered at once, and so is one naming no process', async (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  const file = join(dir, 'fake-vm.op.lock');
  for (const content of [String(await deadPid()), JSON.stringify({ pid: 0, operation: 'start', since: '' }), JSON.stringify({ pid: -1, operation: 'start', since: '' })]) {
    writeFileSync(file, content);
    t.is(fileLockHolder(file), undefined, content);
    const taken = acquireFileLock(file, 'start');
    t.like(fileLockHolder(file), { pid: process.pid });
    taken.release();
    t.deepEqual(readdirSync(dir), []);
  }
});

test('without createDir a missing folder fails with ENOENT naming the lock file, and nothing is made', (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  const file = join(dir, 'gone', 'lock');
  t.throws(() => acquireFileLock(file, 'start', { createDir: false }), { code: 'ENOENT', message: new RegExp(`lock file ${file}$`) } as never);
  t.false(existsSync(join(dir, 'gone')));
  const error = t.throws(() => acquireFileLock(join(dir, 'gone', 'lock'), 'start', { createDir: false })) as NodeJS.ErrnoException;
  t.is(error.path, file);
  acquireFileLock(file, 'start').release();
  t.true(existsSync(join(dir, 'gone')), 'by default the folder is made');
});
