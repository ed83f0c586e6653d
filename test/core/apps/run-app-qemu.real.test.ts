import { PassThrough } from 'node:stream';
import test from 'ava';
import { runApp } from '../../../src/core/apps/run-app.js';
import { qemuMissing } from '../../plugins/qemu/helpers/real-qemu.js';
import { TINY_GUEST_ON_QEMU, tinyGuestImage } from '../../plugins/qemu/helpers/tiny-guest.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

const missing = qemuMissing();
const realTest = missing ? test.skip : test.serial;
if (missing) console.log(`real-QEMU command app tests skipped: ${missing}`);

function collect(stream: PassThrough): { text: () => string; when: (wanted: string) => Promise<void> } {
  let text = '';
  const waiters: Array<{ wanted: string; resolve: () => void }> = [];
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters) if (text.includes(waiter.wanted)) waiter.resolve();
  });
  return {
    text: () => text,
    when: (wanted) => new Promise((resolve) => (text.includes(wanted) ? resolve() : waiters.push({ wanted, resolve }))),
  };
}

realTest('a command app\'s output reaches the host while the app still runs, byte for byte, with stderr and the exit code kept apart', async (t) => {
  t.timeout(5 * 60_000);
  const h = testHome(t);
  await h.install({
    imageFile: await tinyGuestImage(),
    manifest: {
      ...TINY_GUEST_ON_QEMU,
      setup: { copyTimeZone: false },
      publishing: {
        autoDiscover: false,
        apps: [
          { id: 'report', name: 'Report', kind: 'command', command: ['/bin/sh', '-c', 'printf "line 1\\nline 2\\n"; echo "warning" >&2; exit 4'] },
          // Prints, then waits far longer than the test may run: only streamed output can arrive in time.
          { id: 'follow', name: 'Follow', kind: 'command', command: ['/bin/sh', '-c', 'echo "first"; sleep 3600; echo "never"'] },
        ],
      },
    },
  });
  const core = h.core();
  const hypervisor = await core.plugins.hypervisor('qemu');
  t.teardown(async () => {
    const vm = h.registry().find('office')?.vm;
    if (vm) await hypervisor.remove(vm).catch(() => undefined);
  });

  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const report = await runApp(core, 'office', 'report', { stdin: new PassThrough(), stdout, stderr });
  t.is(report.exitCode, 4);
  t.is(out.text(), 'line 1\nline 2\n', 'no carriage returns added by the console');
  t.is(err.text(), 'warning\n');

  const followOut = new PassThrough();
  const following = collect(followOut);
  const running = runApp(core, 'office', 'follow', { stdin: new PassThrough(), stdout: followOut, stderr: new PassThrough() });
  running.catch(() => undefined);
  await following.when('first\n');
  t.is(following.text(), 'first\n');
  // The app is still sleeping in the guest: powering the VM off ends the run.
  const vm = h.registry().get('office').vm!;
  await hypervisor.stop(vm, { force: true });
  await t.throwsAsync(running);
  t.false(following.text().includes('never'));
  await hypervisor.remove(vm);
  t.deepEqual(await h.leftoverProcesses(), []);
});
