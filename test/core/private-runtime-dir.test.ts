import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { isTwinboxError } from '../../src/plugin-api/index.js';
import { resolvePaths } from '../../src/core/paths.js';
import { ensurePrivateRuntimeDir, RUNTIME_HOME_MARKER } from '../../src/core/private-runtime-dir.js';
import { twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const asRoot = process.getuid?.() === 0 ? test : test.skip;

test('the runtime folder and its parent are made 0700, and loosened ones are tightened again', (t) => {
  const base = tempDir(t);
  const parent = join(base, 'twinbox-me');
  mkdirSync(parent, { mode: 0o755 });
  chmodSync(parent, 0o755);
  ensurePrivateRuntimeDir(join(parent, 'tag'));
  t.is(statSync(parent).mode & 0o777, 0o700);
  t.is(statSync(join(parent, 'tag')).mode & 0o777, 0o700);
  chmodSync(join(parent, 'tag'), 0o777);
  ensurePrivateRuntimeDir(join(parent, 'tag'));
  t.is(statSync(join(parent, 'tag')).mode & 0o777, 0o700);
});

test('a symbolic link where the runtime folder should be is refused with exit 4', (t) => {
  const base = tempDir(t);
  mkdirSync(join(base, 'elsewhere'));
  symlinkSync(join(base, 'elsewhere'), join(base, 'twinbox-me'));
  const error = t.throws(() => ensurePrivateRuntimeDir(join(base, 'twinbox-me', 'tag')));
  t.true(isTwinboxError(error) && error.exitCode === 4);
  t.regex(error!.message, /twinbox-me is not a folder: its sockets could be reached by someone else/);
});

asRoot('a runtime folder another user made first is refused by the CLI with exit 4 and the fix', async (t) => {
  const base = tempDir(t);
  chmodSync(base, 0o755);
  const planted = join(base, 'twinbox-0');
  mkdirSync(planted, { mode: 0o777 });
  chownSync(planted, 65534, 65534);
  const result = await twinbox(['status'], { TWINBOX_HOME: join(base, 'home'), XDG_RUNTIME_DIR: base });
  t.is(result.exitCode, 4);
  t.regex(result.stderr, new RegExp(`^twinbox: the runtime folder ${planted} is owned by uid 65534, not by you: its sockets could be reached by someone else\\nhint: remove ${planted}`));
});

test('runtime folders whose home is gone and that hold nothing are swept by the next run; others are left', async (t) => {
  const base = tempDir(t);
  const env = (home: string) => ({ TWINBOX_HOME: join(base, home), XDG_RUNTIME_DIR: base });
  const runtimeOf = (home: string) => resolvePaths(env(home)).runtimeDir;
  for (const home of ['gone', 'busy', 'kept']) t.is((await twinbox(['status'], env(home))).exitCode, 0, home);
  t.is(readFileSync(join(runtimeOf('gone'), RUNTIME_HOME_MARKER), 'utf8'), `${join(base, 'gone', 'data')}\n`);
  mkdirSync(join(runtimeOf('gone'), 'fake'), { recursive: true });
  writeFileSync(join(runtimeOf('busy'), 'agent.sock'), '');
  for (const home of ['gone', 'busy']) {
    rmSync(join(base, home), { recursive: true });
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(runtimeOf(home), old, old);
  }
  t.is((await twinbox(['status'], env('kept'))).exitCode, 0);
  t.false(existsSync(runtimeOf('gone')), 'an empty folder of a removed home is swept');
  t.true(existsSync(runtimeOf('busy')), 'a folder still holding a socket is left');
  t.true(existsSync(runtimeOf('kept')));
});
