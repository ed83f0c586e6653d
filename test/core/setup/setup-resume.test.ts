import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { EventCodes } from '../../../src/core/events/codes.js';
import type { StepRecord } from '../../../src/core/setup/journal.js';
import type { WorkspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { twinbox } from '../../helpers/cli.js';
import { testHome, tracingScript } from '../workspace/helpers/installed-workspace.js';
import { workspaceEvents } from './helpers/events.js';
import { pausedSetup } from './helpers/paused-setup.js';

/** Every step, killed once as it starts; some also killed after their work but before the journal has it. */
const KILL_POINTS = [
  'hypervisor',
  'vm',
  'vm:after',
  'boot',
  'boot:after',
  'agent',
  'computer-name',
  'computer-name:after',
  'time-zone',
  'user',
  'script-1',
  'script-2',
  'apps',
];

test('setup killed with -9 at every step resumes to the end without repeating what was done', async (t) => {
  const h = testHome(t);
  await h.install({
    manifest: { setup: { user: { name: 'alice', addToAdmins: false } } },
    scripts: { 'scripts/first.sh': tracingScript('first'), 'scripts/second.sh': tracingScript('second') },
  });
  const workspaceDir = h.workspaceDir('office');

  for (const point of KILL_POINTS) {
    const paused = await pausedSetup(h.env, workspaceDir, point, ['setup', 'office', '--json']);
    if (point === 'boot') {
      // While setup holds the lock, another process's change is refused and a read is not.
      const stop = await twinbox(['stop', 'office'], h.env);
      t.is(stop.exitCode, 75, stop.stderr);
      t.regex(stop.stderr, new RegExp(`workspace "office" is busy: setup by process ${paused.child.pid}`));
      const status = await twinbox(['status', 'office', '--json'], h.env);
      t.is(status.exitCode, 0, status.stderr);
      const shown = JSON.parse(status.stdout) as WorkspaceStatus;
      t.like(shown, { lockedBy: { pid: paused.child.pid, operation: 'setup' }, setup: { state: 'running', step: 'boot' } });
    }
    await paused.kill();
    if (point === 'time-zone') {
      // As if the host rebooted in the middle of setup: the next run must bring the VM back up.
      await h.fake().stop(h.registry().get('office').vm!, { force: true });
    }
  }
  const status = JSON.parse((await twinbox(['status', 'office', '--json'], h.env)).stdout) as WorkspaceStatus;
  t.like(status, { setup: { state: 'running', interrupted: true }, lockedBy: undefined });

  const final = await twinbox(['setup', 'office', '--json'], h.env);
  t.is(final.exitCode, 0, final.stderr);
  const lines = final.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; resumedAfter?: string[] });
  t.like(lines.at(-1), { type: 'result', alreadyReady: false });
  t.is(lines[0]?.resumedAfter?.length, 9, 'the last run found all but the last step done');

  const journal = JSON.parse(await readFile(join(workspaceDir, 'setup-journal.json'), 'utf8')) as { steps: Record<string, StepRecord> };
  const kills = (step: string) => KILL_POINTS.filter((point) => point.split(':')[0] === step).length;
  for (const [step, record] of Object.entries(journal.steps)) {
    t.is(record.state, 'done', step);
    t.is(record.runs, kills(step) + 1, `${step} began once per kill and once more`);
    t.is(record.failures, 0, `${step}: a kill is not a failure`);
  }
  t.is(await readFile(join(h.guestRoot('office'), 'var/log/setup-runs'), 'utf8'), 'first\nsecond\n', 'no script ran twice');

  const log = await workspaceEvents(workspaceDir);
  const done = log.filter((record) => record.code === EventCodes.setupStepDone).map((record) => record.fields?.step);
  t.deepEqual(done, Object.keys(journal.steps), 'each step finished exactly once');
  const names = new Set(log.filter((record) => record.message.startsWith('computer name: ')).map((record) => record.message));
  t.is(names.size, 1, 'a resumed run kept the computer name chosen before the kill');
  t.is((await readFile(join(h.guestRoot('office'), 'etc/hostname'), 'utf8')).trim(), [...names][0]!.slice('computer name: '.length));

  t.deepEqual(Object.keys(await h.fake().listVms()), ['office'], 'the VM made before the kill at vm:after was not orphaned');
  t.like(h.registry().get('office'), { setup: { state: 'ready', code: 0 } });

  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});
