import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { newHome } from '../core/package/helpers/cli-home.js';
import { runUntil } from '../core/package/helpers/run-until.js';
import { installState } from '../core/package/helpers/state-snapshot.js';
import { writeWorkspaceFolder } from '../core/package/helpers/workspace-folder.js';

const GiB = 1024 ** 3;

async function packedSparse(home: ReturnType<typeof newHome>): Promise<string> {
  const folder = writeWorkspaceFolder(join(home.dir, 'ws'), { sparseImageBytes: GiB });
  const out = join(home.dir, 'big.twbx');
  const packed = await home.run(['pack', folder, '--out', out]);
  if (packed.exitCode !== 0) throw new Error(packed.stderr);
  return out;
}

test('an install killed with SIGKILL midway leaves only its staging folder, and the next install removes it', async (t) => {
  const home = newHome(t);
  const file = await packedSparse(home);
  const before = installState(home.home);
  const killed = await runUntil(['install', file, '--unattended'], home.env, /^unpacking disk\.img: [1-7]0%$/m, 'SIGKILL');
  t.true(killed.triggered, killed.stderr);
  t.is(killed.exitCode, 137);
  const store = join(home.home, 'data', 'store');
  t.deepEqual(readdirSync(store), [`${readdirSync(store)[0]}`]);
  t.regex(readdirSync(store)[0]!, new RegExp(`^\\.staging-${killed.pid}-[0-9a-f]+$`), 'the kill came in the middle of the unpack');
  t.is(installState(home.home).registry, before.registry, 'nothing was registered');

  const next = await home.run(['install', file, '--unattended', '--json']);
  t.is(next.exitCode, 0, next.stderr);
  const result = JSON.parse(next.stdout) as { removedStale: string[] };
  t.is(result.removedStale.length, 1);
  t.deepEqual(readdirSync(store), ['hello']);
  t.false(existsSync(join(home.home, 'data', 'workspaces', 'hello', 'lock')));
});

test('Ctrl-C during an install removes the staging folder, exits 130 and changes nothing', async (t) => {
  const home = newHome(t);
  const file = await packedSparse(home);
  const before = installState(home.home);
  const interrupted = await runUntil(['install', file, '--unattended'], home.env, /^unpacking disk\.img: [1-7]0%$/m, 'SIGINT');
  t.true(interrupted.triggered);
  t.is(interrupted.exitCode, 130, interrupted.stderr);
  t.regex(interrupted.stderr, /twinbox: install interrupted; nothing was installed/);
  t.deepEqual(installState(home.home), before);
});
