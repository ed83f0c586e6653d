import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { EventLog, type EventRecord } from '../../src/core/events/event-log.js';
import { acquireLock } from '../../src/core/workspace/lock.js';
import type { WorkspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome, tracingScript } from '../core/workspace/helpers/installed-workspace.js';
import { TWINBOX_BIN, twinbox } from '../helpers/cli.js';

/** A pid that belonged to a process that has exited: what a kill -9 leaves in a lock file. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

test('setup prints its steps, status --json lists several workspaces, and a held lock makes changes exit 75 until it is stale', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office', scripts: { 'scripts/hello.sh': tracingScript('hello') } });
  await h.install({ name: 'legacy' });
  const failed = await h.install({ name: 'broken' });
  h.registry().put({ ...failed, setup: { state: 'failed', code: 1043, step: 'agent' } });

  const setup = await twinbox(['setup', 'office', '--mode', 'attended'], h.env);
  t.is(setup.exitCode, 0, setup.stderr);
  t.regex(setup.stdout, /^Setting up office 1\.0\.0 \(attended\)$/m);
  t.regex(setup.stdout, /^\[1\/8\] Choose a hypervisor — 0% · /m);
  t.regex(setup.stdout, /^\s+\| hello running in office as TWINBOX[A-Z0-9]{8}$/m, 'attended mode shows the script output');
  t.regex(setup.stdout, /^office is ready: 3 app\(s\) published, guest named TWINBOX[A-Z0-9]{8} /m);

  const status = await twinbox(['status', '--json'], h.env);
  t.is(status.exitCode, 0, status.stderr);
  const all = JSON.parse(status.stdout) as WorkspaceStatus[];
  t.deepEqual(all.map((entry) => [entry.name, entry.state, entry.setup.state]), [
    ['broken', 'not-created', 'failed'],
    ['legacy', 'not-created', 'pending'],
    ['office', 'running', 'ready'],
  ]);
  t.like(all[2], { hypervisor: 'fake', simulated: true, apps: 3, setup: { code: 0, record: { status: 0, workspace: 'office' } } });
  t.regex(all[0]!.reason, /setup failed at step agent: `twinbox reset broken` starts again/);

  const held = acquireLock(join(h.workspaceDir('office'), 'lock'), 'office', 'setup');
  try {
    const plain = await twinbox(['status'], h.env);
    t.regex(plain.stdout, /^office\s+user\s+1\.0\.0\s+fake\s+running \(simulated\)\s+ready\s+3\s+setup \(pid \d+\)/m, 'a read does not wait for the lock');
    for (const args of [['stop', 'office'], ['suspend', 'office'], ['restart', 'office'], ['reset', 'office', '--yes'], ['setup', 'office']]) {
      const busy = await twinbox(args, h.env);
      t.is(busy.exitCode, 75, args.join(' '));
      t.regex(busy.stderr, new RegExp(`^twinbox: workspace "office" is busy: setup by process ${process.pid} since `), args.join(' '));
    }
  } finally {
    held.release();
  }

  writeFileSync(join(h.workspaceDir('office'), 'lock'), JSON.stringify({ pid: await deadPid(), operation: 'stop', since: new Date().toISOString() }));
  const stop = await twinbox(['stop', 'office', '--timeout', '10'], h.env);
  t.is(stop.exitCode, 0, stop.stderr);
  t.regex(stop.stdout, /office stopped \(graceful\)/, 'the stale lock of a dead process was recovered');

  const start = await twinbox(['start', 'office', '--json'], h.env);
  t.is(start.exitCode, 0, start.stderr);
  t.like(JSON.parse(start.stdout), { workspace: 'office', was: 'stopped' });

  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});

test('reset refuses without --yes when there is no terminal to ask on', async (t) => {
  const h = testHome(t);
  await h.install();
  const result = await twinbox(['reset', 'office'], h.env);
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /needs confirmation, but there is no terminal to ask on\nhint: run `twinbox reset office --yes` to confirm/);
  t.like(h.registry().get('office'), { setup: { state: 'pending' } });
});

test('silent setup prints nothing, even when it fails, and the exit code tells', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { hypervisors: { allowed: ['virtualbox'], preferred: [] }, setup: { mode: 'silent' } } });
  const result = await twinbox(['setup', 'office'], h.env);
  t.is(result.exitCode, 1);
  t.is(result.stdout, '');
  t.is(result.stderr, '');
  const status = JSON.parse((await twinbox(['status', 'office', '--json'], h.env)).stdout) as WorkspaceStatus;
  t.like(status.setup, { state: 'failed', code: 1040, step: 'hypervisor' });
  t.regex(status.setup.record?.message ?? '', /no hypervisor here can run workspace "office" \(virtualbox: .*VBoxManage/);
});

test('setup --json prints one event per line and ends with the result', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { setup: { copyTimeZone: false } } });
  const result = await twinbox(['setup', 'office', '--json'], h.env);
  t.is(result.exitCode, 0, result.stderr);
  const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; elapsedMs?: number; percent?: number });
  t.is(events[0]?.type, 'setup-started');
  t.is(events.at(-2)?.type, 'setup-ready');
  t.like(events.at(-1), { type: 'result', workspace: 'office', apps: 3 });
  t.true(events.slice(0, -1).every((event) => typeof event.elapsedMs === 'number' && typeof event.percent === 'number'));

  const logs = await twinbox(['logs', 'office', '--lines', '3', '--json'], h.env);
  t.is(logs.exitCode, 0, logs.stderr);
  const records = logs.stdout.trim().split('\n').map((line) => JSON.parse(line) as EventRecord);
  t.is(records.length, 3);
  t.like(records.at(-1), { code: 1010, category: 'setup' });

  const plain = await twinbox(['logs', 'office', '-n', '1'], h.env);
  t.regex(plain.stdout, /^\d{4}-\d\d-\d\dT\S+Z {2}INFO {3}1010 {2}setup {7}workspace office is ready: 3 app\(s\) published\n$/);

  const follower = spawn(process.execPath, [TWINBOX_BIN, 'logs', 'office', '--follow', '--lines', '0'], { env: h.env });
  let output = '';
  follower.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => follower.once('exit', resolve));
  // The follower may take a while to start on a busy machine: write until it shows the event.
  const log = new EventLog(join(h.workspaceDir('office'), 'events.jsonl'));
  for (let i = 0; i < 60 && !output.includes('pretend'); i++) {
    log.event('warn', 2010, 'pretend the VM crashed');
    for (let j = 0; j < 10 && !output.includes('pretend'); j++) await sleep(50);
  }
  t.regex(output, /WARN {3}2010 {2}vm {10}pretend the VM crashed/);
  follower.kill('SIGINT');
  t.is(await exited, 0, 'Ctrl-C ends following normally');

  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});
