import { execFileSync } from 'node:child_process';
import test from 'ava';
import { twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

function guestProcesses(home: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', 'guest/main'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(home));
  } catch {
    return [];
  }
}

test('demo --fake installs and sets up a workspace on the labelled simulated hypervisor, runs a guest app, and --remove leaves nothing behind', async (t) => {
  const home = tempDir(t);
  const result = await twinbox(['demo', '--fake', '--json'], { TWINBOX_HOME: home });
  t.is(result.exitCode, 0, result.stderr);
  const demo = JSON.parse(result.stdout) as { hypervisor: string; simulated: boolean; state: string; apps: Array<{ id: string; kind: string }>; helloOutput: string; hostName: string };
  t.like(demo, { hypervisor: 'fake', simulated: true, state: 'running', hostName: 'demo-guest' });
  t.deepEqual(demo.apps.map((app) => `${app.id}:${app.kind}`).sort(), ['hello:command', 'shell:terminal']);
  t.regex(demo.helloOutput, /Hello from demo-guest, a guest of twinbox\.\narguments: from the host/);
  t.is(guestProcesses(home).length, 1, 'the VM outlives the command');
  const status = await twinbox(['status', 'demo', '--json'], { TWINBOX_HOME: home });
  t.like(JSON.parse(status.stdout), { name: 'demo', hypervisor: 'fake', simulated: true, state: 'running', apps: 2, setup: { state: 'ready' } });

  const plain = await twinbox(['demo', '--fake'], { TWINBOX_HOME: home });
  t.is(plain.exitCode, 0, plain.stderr);
  t.regex(plain.stdout, /SIMULATED: no real guest runs on the fake hypervisor/);
  t.is(guestProcesses(home).length, 1, 'a second run reuses the running VM');

  const removed = await twinbox(['demo', '--remove'], { TWINBOX_HOME: home });
  t.is(removed.exitCode, 0, removed.stderr);
  t.regex(removed.stdout, /demo removed/);
  t.deepEqual(guestProcesses(home), []);
});

test('demo refuses --qemu together with --fake as a usage error', async (t) => {
  const result = await twinbox(['demo', '--qemu', '--fake'], { TWINBOX_HOME: tempDir(t) });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /choose one of --qemu and --fake/);
});
