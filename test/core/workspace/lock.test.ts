import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { acquireLock, acquireShortLock, lockHolder } from '../../../src/core/workspace/lock.js';
import { tempDir } from '../../helpers/temp.js';

const lockModule = new URL('../../../src/core/workspace/lock.js', import.meta.url).href;

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
  const script = `const { acquireShortLock } = await import(${JSON.stringify(lockModule)});
    const { openSync, closeSync, unlinkSync, readFileSync, writeFileSync } = await import('node:fs');
    const dir = ${JSON.stringify(dir)};
    for (let i = 0; i < ${rounds}; i++) {
      const lock = acquireShortLock(dir + '/lock', 'test', 'count', 30000, 1);
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

test('a live holder makes a second taker fail at once, naming what it does; a lock file that is no lock is stale', async (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  const file = join(dir, 'lock');
  const held = acquireLock(file, 'office', 'setup');
  t.like(lockHolder(file), { pid: process.pid, operation: 'setup' });
  const other = await execa(process.execPath, ['--input-type=module', '-e', `const { acquireLock } = await import(${JSON.stringify(lockModule)}); try { acquireLock(${JSON.stringify(file)}, 'office', 'start'); } catch (e) { console.log(e.message); process.exit(75); }`], { reject: false });
  t.is(other.exitCode, 75);
  t.regex(other.stdout, new RegExp(`^workspace "office" is busy: setup by process ${process.pid} since `));
  held.release();
  t.false(existsSync(file));

  writeFileSync(file, 'not a lock');
  const taken = acquireShortLock(file, 'office', 'start', 1000);
  t.like(lockHolder(file), { operation: 'start' });
  taken.release();
  t.deepEqual(readdirSync(dir), []);
});

test('a breaker left by a remover that died is cleared once it is old, and the stale lock is then recovered', async (t) => {
  const dir = tempDir(t, 'tbx-lock-');
  const file = join(dir, 'lock');
  writeFileSync(file, JSON.stringify({ pid: await deadPid(), operation: 'crashed', since: new Date().toISOString() }));
  writeFileSync(`${file}.break`, '{}');
  const { utimesSync } = await import('node:fs');
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${file}.break`, old, old);
  const taken = acquireShortLock(file, 'office', 'start', 2000);
  t.like(lockHolder(file), { pid: process.pid, operation: 'start' });
  taken.release();
  t.deepEqual(readdirSync(dir), []);
});
