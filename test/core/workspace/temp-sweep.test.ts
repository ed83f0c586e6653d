import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { sweepDeadTemporaries } from '../../../src/plugin-api/temp-sweep.js';
import { twinbox } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { testHome } from './helpers/installed-workspace.js';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function leftover(dir: string, name: string, ageMs: number): string {
  const file = join(dir, name);
  writeFileSync(file, '{"half": ');
  const when = (Date.now() - ageMs) / 1000;
  utimesSync(file, when, when);
  return file;
}

test('temporary files of dead writers are swept; a live writer\'s and a fresh one are left', async (t) => {
  const dir = tempDir(t, 'tbx-sweep-');
  const dead = await deadPid();
  const stale = leftover(dir, `.setup-journal.json.${dead}.0a1b2c3d.tmp`, 120_000);
  const staleSync = leftover(dir, `policy-last-good.json.${dead}.deadbeef.tmp`, 120_000);
  const fresh = leftover(dir, `.apps.json.${dead}.00000000.tmp`, 0);
  const live = leftover(dir, `.apps.json.${process.pid}.11111111.tmp`, 120_000);
  const other = leftover(dir, 'notes.tmp', 120_000);
  t.deepEqual(sweepDeadTemporaries(dir).sort(), [`.setup-journal.json.${dead}.0a1b2c3d.tmp`, `policy-last-good.json.${dead}.deadbeef.tmp`].sort());
  t.false(existsSync(stale));
  t.false(existsSync(staleSync));
  for (const kept of [fresh, live, other]) t.true(existsSync(kept), kept);
});

test('a setup journal temp file left by a kill -9 is swept by the next setup', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  mkdirSync(h.workspaceDir('office'), { recursive: true });
  const stale = leftover(h.workspaceDir('office'), `.setup-journal.json.${await deadPid()}.9f8e7d6c.tmp`, 120_000);
  const setup = await twinbox(['setup', 'office', '--mode', 'silent'], h.env);
  t.is(setup.exitCode, 0, setup.stderr);
  t.false(existsSync(stale));
});
