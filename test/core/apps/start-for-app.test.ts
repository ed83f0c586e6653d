import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import test from 'ava';
import { runApp } from '../../../src/core/apps/run-app.js';
import { acquireLock } from '../../../src/core/workspace/lock.js';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

const io = () => ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() });

test('an app launched while the workspace is being suspended waits for the suspend, then runs; another holder fails busy at once', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  const lockFile = join(h.workspaceDir('office'), 'lock');

  const parking = acquireLock(lockFile, 'office', 'suspend');
  const progress: string[] = [];
  const running = runApp(core, 'office', 'hello', io(), { onProgress: (line) => progress.push(line) });
  while (progress.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  t.regex(progress[0]!, /waiting for the suspend in progress \(process \d+\) to finish/);
  parking.release();
  t.like(await running, { app: 'hello', exitCode: 0 });

  const resetting = acquireLock(lockFile, 'office', 'reset');
  t.like(await t.throwsAsync(runApp(core, 'office', 'hello', io())), { code: 'busy', exitCode: 75 });
  resetting.release();
});
