/**
 * The maintenance window on a real QEMU with the tiny guest and its real qemu-ga: a stopped
 * workspace is started, the configured commands run in the guest (their output in the event
 * log), and it is stopped again; `maintenance status --json` shows the success.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { tempDir } from '../helpers/temp.js';
import { qemuMissing } from '../plugins/qemu/helpers/real-qemu.js';
import { tinyGuestImage } from '../plugins/qemu/helpers/tiny-guest.js';
import { consoleLogs, ok, qemuPidsUnder, qemuSource } from './helpers/qemu-home.js';

const skip = qemuMissing();
const real = skip ? test.skip : test.serial;
if (skip) test.serial('the maintenance window on QEMU needs QEMU', (t) => t.log(`skipped: ${skip}`) ?? t.pass());

const LONG_MS = 240_000;

interface EventRecord {
  code?: number;
  message: string;
  fields?: { command?: string; exitCode?: number; output?: string };
}

real('maintenance run starts a stopped real guest, runs its commands through qemu-ga and stops it again', async (t) => {
  t.timeout(8 * 60_000);
  const home = tempDir(t, 'tbx-mw-');
  const source = qemuSource(home, await tinyGuestImage(), {
    name: 'maint',
  });
  t.teardown(() => {
    for (const pid of qemuPidsUnder(home)) process.kill(pid, 'SIGKILL');
  });
  try {
    await ok(t, home, ['pack', source, '--out', join(home, 'maint.twbx')]);
    await ok(t, home, ['install', join(home, 'maint.twbx'), '--unattended']);
    await ok(t, home, ['setup', 'maint'], {}, LONG_MS);
    await ok(t, home, ['stop', 'maint'], {}, LONG_MS);
    t.deepEqual(qemuPidsUnder(home), [], 'stopped before the window');

    const commands = ['echo "kernel $(uname -r) on $(hostname)"', 'echo maint-$((6 * 7)) > /tmp/maint && cat /tmp/maint'];
    await ok(t, home, ['config', 'set', 'maintenance.commands', JSON.stringify(commands)]);
    const ran = await ok(t, home, ['maintenance', 'run', 'maint', '--json'], {}, LONG_MS);
    t.like(JSON.parse(ran.stdout), { result: 'success' });

    // Back to stopped: no QEMU process is left, and status says so.
    t.deepEqual(qemuPidsUnder(home), [], 'put back to stopped');
    t.is((JSON.parse((await ok(t, home, ['status', 'maint', '--json'])).stdout) as { state: string }).state, 'stopped');

    const status = JSON.parse((await ok(t, home, ['maintenance', 'status', '--json'])).stdout) as Array<{ workspace: string; last?: { result: string; durationMs: number } }>;
    t.like(status.find((row) => row.workspace === 'maint'), { last: { result: 'success' } });

    // Each command's output, as the real guest printed it, is in the event log.
    const events = (await ok(t, home, ['logs', 'maint', '--json', '-n', '1000'])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EventRecord);
    const outputs = events.filter((event) => event.code === 6041);
    t.is(outputs.length, 2, JSON.stringify(outputs));
    t.regex(outputs[0]?.fields?.output ?? '', /^kernel \d+\.\d+\.\d+-\d+-cloud-amd64 on \S+$/);
    t.is(outputs[1]?.fields?.output, 'maint-42');
    t.deepEqual(
      outputs.map((event) => event.fields?.exitCode),
      [0, 0],
    );
    const codes = events.map((event) => event.code);
    t.true(codes.includes(6040) && codes.includes(6043), 'started and done are logged');
    // Within the window: started (2000, 2001), the commands, then stopped again (2003) before it is done (6043).
    const window = codes.slice(codes.lastIndexOf(6040));
    t.true(window.indexOf(2000) > 0 && window.indexOf(2001) > window.indexOf(2000), `started in the window: ${window.join(' ')}`);
    t.true(window.lastIndexOf(2003) > window.lastIndexOf(6041) && window.lastIndexOf(6043) > window.lastIndexOf(2003), `stopped after the commands: ${window.join(' ')}`);
  } catch (error) {
    t.log(consoleLogs(home));
    throw error;
  }
});
