import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { readMaintenanceRecord, writeMaintenanceRecord } from '../../src/core/maintenance/maintenance-record.js';
import { openWorkspace } from '../../src/core/workspace/open-workspace.js';
import { startWorkspace } from '../../src/core/workspace/start-workspace.js';
import { stopWorkspace } from '../../src/core/workspace/stop-workspace.js';
import { suspendWorkspace } from '../../src/core/workspace/suspend-workspace.js';
import { workspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinbox, TWINBOX_BIN } from '../helpers/cli.js';

const MARK = 'echo ran >> "${TWINBOX_GUEST_ROOT:-}/var/log/maintenance-runs"';

test('maintenance run WORKSPACE runs the window now; maintenance status --json reports it; bad input exits 2', async (t) => {
  const h = testHome(t);
  await h.install();
  const env = { TWINBOX_HOME: h.home };
  const notSetUp = await twinbox(['maintenance', 'run', 'office'], env);
  t.is(notSetUp.exitCode, 2, notSetUp.stderr);
  t.regex(notSetUp.stderr, /workspace "office" is not set up/);
  t.is((await twinbox(['maintenance', 'run', 'nosuch'], env)).exitCode, 2);
  t.is((await twinbox(['maintenance'], env)).exitCode, 2);
  t.is((await twinbox(['maintenance', 'run'], env)).exitCode, 2);

  await startWorkspace(h.core(), 'office');
  await stopWorkspace(h.core(), 'office');
  t.is((await twinbox(['config', 'set', 'maintenance.commands', JSON.stringify([MARK])], env)).exitCode, 0);
  t.is((await twinbox(['config', 'set', 'maintenance.schedule', 'Sun 03:00'], env)).exitCode, 0);
  t.is((await twinbox(['config', 'set', 'maintenance.schedule', 'Sun 3'], env)).exitCode, 2);
  const ran = await twinbox(['maintenance', 'run', 'office', '--json'], env);
  t.is(ran.exitCode, 0, ran.stderr);
  t.like(JSON.parse(ran.stdout), { result: 'success' });
  t.true(existsSync(join(h.guestRoot('office'), 'var/log/maintenance-runs')));
  t.is((await workspaceStatus(h.core(), 'office')).state, 'stopped');

  const status = await twinbox(['maintenance', 'status', '--json'], env);
  t.is(status.exitCode, 0, status.stderr);
  const [row] = JSON.parse(status.stdout) as Array<{ workspace: string; next?: string; last?: { result: string } }>;
  t.like(row, { workspace: 'office', last: { result: 'success' } });
  t.is(new Date(row!.next!).getDay(), 0);
  const wsStatus = await twinbox(['status', 'office', '--json'], env);
  t.regex(wsStatus.stdout, /"maintenance"/);

  t.is((await twinbox(['config', 'set', 'maintenance.commands', JSON.stringify(['exit 4'])], env)).exitCode, 0);
  const failed = await twinbox(['maintenance', 'run', 'office'], env);
  t.is(failed.exitCode, 1);
  t.regex(failed.stdout, /maintenance of office: failed/);
});

test('kill -9 of the agent mid-window: the next agent start puts the workspace back', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  await suspendWorkspace(core, 'office');
  const env = { TWINBOX_HOME: h.home };
  t.is((await twinbox(['config', 'set', 'maintenance.commands', JSON.stringify(['sleep 30'])], env)).exitCode, 0);
  t.is((await twinbox(['config', 'set', 'maintenance.windowMinutes', '1440'], env)).exitCode, 0);
  t.is((await twinbox(['config', 'set', 'maintenance.schedule', 'daily'], env)).exitCode, 0);
  // The last window handled was two days ago: today's is due as the agent starts.
  const ws = openWorkspace(core, 'office');
  await writeMaintenanceRecord(ws.layout, { lastSlot: new Date(Date.now() - 2 * 86_400_000).toISOString() });

  const agent = spawn(process.execPath, [TWINBOX_BIN, 'agent'], { env: { ...h.env }, stdio: 'ignore' });
  t.teardown(() => agent.kill('SIGKILL'));
  const exited = new Promise((resolve) => agent.on('exit', resolve));
  for (let i = 0; i < 400; i++) {
    const record = await readMaintenanceRecord(ws.layout);
    if (record.current?.phase === 'commands') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.like((await readMaintenanceRecord(ws.layout)).current, { phase: 'commands', before: 'suspended', pid: agent.pid });
  agent.kill('SIGKILL');
  await exited;
  t.is((await workspaceStatus(core, 'office')).state, 'running', 'cut short while running the commands');

  const once = await twinbox(['agent', '--once', '--json'], env);
  t.is(once.exitCode, 0, once.stderr);
  t.like(JSON.parse(once.stdout), { last: [{ workspace: 'office', outcome: 'maintenance', maintenance: { result: 'interrupted' } }] });
  t.is((await workspaceStatus(core, 'office')).state, 'suspended');
  t.is((await readMaintenanceRecord(ws.layout)).current, undefined);
});
