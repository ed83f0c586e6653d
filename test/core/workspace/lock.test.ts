import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { acquireFileLock } from '../../../src/plugin-api/file-lock.js';
import { acquireLock, lockHolder } from '../../../src/core/workspace/lock.js';
import { tempDir } from '../../helpers/temp.js';

const lockModule = new URL('../../../src/core/workspace/lock.js', import.meta.url).href;

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
  const taken = acquireFileLock(file, 'start', { waitMs: 1000 });
  t.like(lockHolder(file), { operation: 'start' });
  taken.release();
  t.deepEqual(readdirSync(dir), []);
});
