import { spawn } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { startWorkspace } from '../../src/core/workspace/start-workspace.js';
import { workspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinbox, TWINBOX_BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { parseExposition, sampleValue } from '../helpers/prometheus-text.js';

test('a second agent is refused with exit 75 naming the first; SIGTERM ends the first with exit 0 and leaves the workspace running', async (t) => {
  const h = testHome(t);
  await h.install();
  await startWorkspace(h.core(), 'office');
  const metricsDir = tempDir(t, 'tbx-prom-');
  const metricsFile = join(metricsDir, 'twinbox.prom');
  const agent = spawn(process.execPath, [TWINBOX_BIN, 'agent', '--metrics', metricsFile], { env: { ...h.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  t.teardown(() => agent.kill('SIGKILL'));
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => agent.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    agent.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('twinbox agent: started')) resolve();
    });
    agent.on('exit', () => reject(new Error(`the agent exited: ${stderr}`)));
  });

  const second = await twinbox(['agent', '--once'], { TWINBOX_HOME: h.home });
  t.is(second.exitCode, 75);
  t.regex(second.stderr, new RegExp(`a twinbox agent is already running for this user \\(process ${agent.pid}, since [^)]+\\)\\nhint: `));

  // The first round writes the metrics file.
  let written = false;
  for (let i = 0; i < 200 && !written; i++) {
    written = await stat(metricsFile).then(() => true, () => false);
    if (!written) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.true(written);
  agent.kill('SIGTERM');
  t.is(await exited, 0, stderr);
  t.regex(stderr, /twinbox agent: stopped after \d+ round\(s\)/);
  t.is((await workspaceStatus(h.core(), 'office')).state, 'running');
  t.like(await twinbox(['agent', '--once', '--json'], { TWINBOX_HOME: h.home }), { exitCode: 0 });
});

test('agent --once --json prints what its round did; bad options exit 2', async (t) => {
  const h = testHome(t);
  await h.install();
  await startWorkspace(h.core(), 'office');
  const once = await twinbox(['agent', '--once', '--json'], { TWINBOX_HOME: h.home });
  t.is(once.exitCode, 0, once.stderr);
  const result = JSON.parse(once.stdout) as { rounds: number; last: Array<{ workspace: string; outcome: string; health: { reachable: boolean } }> };
  t.like(result, { rounds: 1, last: [{ workspace: 'office', outcome: 'watched', health: { reachable: true } }] });

  const badFolder = await twinbox(['agent', '--metrics', '/nonexistent-folder/x.prom'], { TWINBOX_HOME: h.home });
  t.is(badFolder.exitCode, 2);
  t.regex(badFolder.stderr, /--metrics: the folder \/nonexistent-folder does not exist/);
  t.is((await twinbox(['agent', '--json'], { TWINBOX_HOME: h.home })).exitCode, 2);
  t.is((await twinbox(['agent', 'office'], { TWINBOX_HOME: h.home })).exitCode, 2);
});

test('metrics --prom writes a valid textfile atomically, readable by node_exporter; --prom - prints it', async (t) => {
  const h = testHome(t);
  await h.install();
  await startWorkspace(h.core(), 'office');
  const dir = tempDir(t, 'tbx-prom-');
  const file = join(dir, 'twinbox.prom');
  const written = await twinbox(['metrics', '--prom', file], { TWINBOX_HOME: h.home });
  t.is(written.exitCode, 0, written.stderr);
  t.is((await stat(file)).mode & 0o777, 0o644);
  t.deepEqual(await readdir(dir), ['twinbox.prom'], 'no temporary file is left');
  const families = parseExposition(await readFile(file, 'utf8'));
  t.is(sampleValue(families, 'twinbox_workspace_state', { workspace: 'office', state: 'running' }), 1);

  const printed = await twinbox(['metrics', '--prom', '-'], { TWINBOX_HOME: h.home });
  t.is(printed.exitCode, 0);
  t.deepEqual([...parseExposition(printed.stdout).keys()], [...families.keys()]);

  await rm(dir, { recursive: true });
  const missing = await twinbox(['metrics', '--prom', file], { TWINBOX_HOME: h.home });
  t.is(missing.exitCode, 2);
  t.regex(missing.stderr, /the folder .* does not exist\nhint: /);
  t.is((await twinbox(['metrics'], { TWINBOX_HOME: h.home })).exitCode, 2);
});

test('apps --refresh reads the guest again and says what changed', async (t) => {
  const h = testHome(t);
  await h.install();
  await startWorkspace(h.core(), 'office');
  await rm(join(h.guestRoot('office'), 'usr', 'share', 'applications', 'editor.desktop'));
  const refreshed = await twinbox(['apps', 'office', '--refresh'], { TWINBOX_HOME: h.home });
  t.is(refreshed.exitCode, 0, refreshed.stderr);
  t.is(refreshed.stderr, 'twinbox: refreshed from the guest: removed editor\n');
  t.notRegex(refreshed.stdout, /editor/);
  t.regex(refreshed.stdout, /hello/);

  const off = await twinbox(['config', 'set', 'publishing.enabled', 'false'], { TWINBOX_HOME: h.home });
  t.is(off.exitCode, 0, off.stderr);
  const none = await twinbox(['apps', 'office'], { TWINBOX_HOME: h.home });
  t.regex(none.stdout, /app publishing is turned off \(publishing.enabled is false, set by user\)/);
  const run = await twinbox(['run', 'office', 'hello'], { TWINBOX_HOME: h.home });
  t.is(run.exitCode, 4);
  t.regex(run.stderr, /app publishing is turned off[^\n]*\nhint: turn it on with `twinbox config set publishing.enabled true`/);
});
