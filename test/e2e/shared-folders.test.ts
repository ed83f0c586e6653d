/**
 * Shared folders on a real QEMU with the tiny guest on Debian's generic kernel (the cloud one
 * has no 9p): the folders are 9p exports the guest agent mounts at start; bytes go both ways,
 * a read-only one refuses the guest's writes, `twinbox open` hands a file in a shared folder
 * to the app its file type names, and a missing folder refuses setup and start up front.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { qemuMissing } from '../plugins/qemu/helpers/real-qemu.js';
import { repoRoot, tinyGuestImage } from '../plugins/qemu/helpers/tiny-guest.js';
import { consoleLogs, ok, qemuPidsUnder, qemuSource } from './helpers/qemu-home.js';

const run = promisify(execFile);
const skip = qemuMissing();
const real = skip ? test.skip : test.serial;
if (skip) test.serial('shared folders need QEMU', (t) => t.log(`skipped: ${skip}`) ?? t.pass());

/** The tiny guest on the generic kernel, which has 9p, 9pnet and 9pnet_virtio. */
async function genericTinyGuest(): Promise<string> {
  const { stdout } = await run('bash', [join(repoRoot, 'scripts', 'build-tiny-guest.sh')], {
    env: { ...process.env, TWINBOX_GUEST_KERNEL: 'generic' },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  return stdout.trim().split('\n').pop() ?? '';
}

const LONG_MS = 240_000;

interface Status {
  state: string;
  reason: string;
  sharedFolders?: Array<{ guest: string; tag: string; readOnly: boolean; mounted: boolean; error?: string }>;
}

real('shared folders are mounted in the guest at start: both ways, read-only refused, open through them, missing ones refused', async (t) => {
  t.timeout(12 * 60_000);
  const home = tempDir(t, 'tbx-9p-');
  const share = join(home, 'share');
  const manuals = join(home, 'manuals');
  const source = qemuSource(home, await genericTinyGuest(), {
    name: 'docs',
    sharedFolders: [
      { host: share, guest: '/mnt/share' },
      { host: manuals, guest: '/mnt/manuals', readOnly: true },
    ],
    publishing: {
      apps: [
        { id: 'sh-c', name: 'Shell command', kind: 'command', command: ['/bin/sh', '-c'] },
        // Keeps a copy of the file it is given: what the guest app read is then read back.
        { id: 'keep', name: 'Keep', kind: 'command', command: ['/bin/sh', '-c', 'cat "$1" > /tmp/opened && echo kept "$1"', 'keep'] },
      ],
    },
    redirection: { fileTypes: { txt: 'keep' } },
  });
  const env = { TWINBOX_HOME: home };
  const inGuest = async (script: string) => twinbox(['run', '--quiet', 'docs', 'sh-c', '--', script], env, undefined, LONG_MS);
  const status = async () => JSON.parse((await ok(t, home, ['status', 'docs', '--json'])).stdout) as Status;
  t.teardown(() => {
    for (const pid of qemuPidsUnder(home)) process.kill(pid, 'SIGKILL');
  });

  try {
    await ok(t, home, ['pack', source, '--out', join(home, 'docs.twbx')]);
    await ok(t, home, ['install', join(home, 'docs.twbx'), '--unattended']);

    // The doctor tells how each folder will be shared on the workspace's hypervisor.
    const doctor = JSON.parse((await twinbox(['doctor', '--json'], env)).stdout) as { checks: Array<{ check: string; status: string; detail: string }> };
    const sharing = doctor.checks.find((check) => check.check === 'sharing docs');
    t.is(sharing?.status, 'ok', JSON.stringify(sharing));
    t.is(sharing?.detail, `QEMU: ${share} → /mnt/share: 9p export mounted at start; ${manuals} → /mnt/manuals: 9p export mounted at start, read-only`);

    // Setup refuses before it begins while a folder is missing, naming it and the fix.
    mkdirSync(manuals);
    const refused = await twinbox(['setup', 'docs'], env, undefined, LONG_MS);
    t.is(refused.exitCode, 2, refused.stderr);
    t.true(refused.stderr.includes(`the shared folder of workspace "docs" ${share} does not exist on this host`), refused.stderr);
    t.regex(refused.stderr, /hint: create it \(mkdir -p /);
    t.is((JSON.parse((await ok(t, home, ['status', 'docs', '--json'])).stdout) as { setup: { state: string } }).setup.state, 'pending', 'nothing was begun');
    t.deepEqual(qemuPidsUnder(home), []);

    mkdirSync(share);
    writeFileSync(join(manuals, 'manual.txt'), 'read me, do not change me\n');
    await ok(t, home, ['setup', 'docs'], {}, LONG_MS);
    const mounted = await status();
    t.is(mounted.state, 'running');
    t.deepEqual(
      mounted.sharedFolders?.map(({ guest, tag, readOnly, mounted: yes }) => ({ guest, tag, readOnly, mounted: yes })),
      [
        { guest: '/mnt/share', tag: 'tbx0-share', readOnly: false, mounted: true },
        { guest: '/mnt/manuals', tag: 'tbx1-manuals', readOnly: true, mounted: true },
      ],
    );

    // Host → guest and guest → host, through the real 9p mount.
    const bytes = `from the host ${process.pid} ${Date.now()}\n`;
    writeFileSync(join(share, 'from-host.txt'), bytes);
    const read = await inGuest('cat /mnt/share/from-host.txt');
    t.is(read.exitCode, 0, read.stderr);
    t.is(read.stdout, bytes);
    const wrote = await inGuest('echo "written by $(hostname) in the guest" > /mnt/share/from-guest.txt && grep " /mnt/share 9p " /proc/mounts');
    t.is(wrote.exitCode, 0, wrote.stderr);
    t.regex(wrote.stdout, /^tbx0-share \/mnt\/share 9p rw,/);
    t.regex(readFileSync(join(share, 'from-guest.txt'), 'utf8'), /^written by .* in the guest\n$/);

    // The read-only folder reads, and refuses a write.
    t.is((await inGuest('cat /mnt/manuals/manual.txt')).stdout, 'read me, do not change me\n');
    const denied = await inGuest('echo changed > /mnt/manuals/manual.txt');
    t.not(denied.exitCode, 0);
    t.regex(denied.stderr, /Read-only file system/);
    t.is(readFileSync(join(manuals, 'manual.txt'), 'utf8'), 'read me, do not change me\n');

    // `open` hands a file in a shared folder to the app its type names, which reads its real bytes.
    const letter = `a letter with bytes \u00e9\u00e8 ${Date.now()}\n`;
    writeFileSync(join(share, 'letter.txt'), letter);
    const opened = await twinbox(['open', '--quiet', join(share, 'letter.txt')], env, undefined, LONG_MS);
    t.is(opened.exitCode, 0, opened.stderr);
    t.regex(opened.stdout, /kept \/mnt\/share\/letter\.txt/);
    t.is((await inGuest('cat /tmp/opened')).stdout, letter);
    // A file outside every shared folder is refused, as before.
    writeFileSync(join(home, 'outside.txt'), 'x');
    const outside = await twinbox(['open', '--quiet', join(home, 'outside.txt')], env, undefined, LONG_MS);
    t.is(outside.exitCode, 2, outside.stderr);
    t.regex(outside.stderr, /is not in a folder shared with workspace "docs"/);

    // A restart mounts them again (a fresh guest); a start of a running one changes nothing.
    await ok(t, home, ['restart', 'docs'], {}, LONG_MS);
    t.is((await inGuest('cat /mnt/share/from-host.txt')).stdout, bytes);
    await ok(t, home, ['start', 'docs'], {}, LONG_MS);
    t.is((await inGuest('grep -c " 9p " /proc/mounts')).stdout.trim(), '2', 'each folder is mounted once');

    // QEMU saves no state with a 9p export mounted: suspend unmounts them, resume mounts them again.
    // A guest program inside one keeps it busy: the suspend is refused, naming it, and the VM runs on.
    t.is((await inGuest('cd /mnt/share && (sleep 300 >/dev/null 2>&1 &) && echo started')).stdout, 'started\n');
    const busy = await twinbox(['suspend', 'docs'], env, undefined, LONG_MS);
    t.is(busy.exitCode, 1, busy.stderr);
    t.regex(busy.stderr, /cannot be suspended: its guest could not unmount the shared folder .*share at \/mnt\/share \(umount: .*busy/);
    t.is((await status()).state, 'running');
    t.is((await inGuest('grep -c " 9p " /proc/mounts')).stdout.trim(), '2', 'the other folder is mounted again');
    t.is((await inGuest('kill $(pidof sleep) && sleep 0.2 && echo killed')).stdout, 'killed\n');
    await ok(t, home, ['suspend', 'docs'], {}, LONG_MS);
    const suspended = await status();
    t.is(suspended.state, 'suspended');
    t.deepEqual(suspended.sharedFolders?.map((mount) => mount.mounted), [false, false]);
    await ok(t, home, ['resume', 'docs'], {}, LONG_MS);
    t.is((await inGuest('cat /mnt/share/from-host.txt')).stdout, bytes, 'mounted again after the resume');
    t.deepEqual((await status()).sharedFolders?.map((mount) => mount.mounted), [true, true]);

    // Start refuses while a folder is missing on the host, before the VM boots.
    await ok(t, home, ['stop', 'docs'], {}, LONG_MS);
    renameSync(share, `${share}.away`);
    const gone = await twinbox(['start', 'docs'], env, undefined, LONG_MS);
    t.is(gone.exitCode, 2, gone.stderr);
    t.true(gone.stderr.includes(`${share} does not exist on this host`), gone.stderr);
    t.is((await status()).state, 'stopped');
    const events = (await ok(t, home, ['logs', 'docs', '--json', '-n', '1000'])).stdout;
    t.regex(events, /"code":4012/);
    t.regex(events, /"code":4010/);
    renameSync(`${share}.away`, share);
    await ok(t, home, ['stop', 'docs'], {}, LONG_MS);
  } catch (error) {
    t.log(consoleLogs(home));
    throw error;
  }
});

real('a guest whose kernel has no 9p fails setup at the shared folders with the reason and the fix', async (t) => {
  t.timeout(8 * 60_000);
  const home = tempDir(t, 'tbx-9pc-');
  const share = join(home, 'share');
  mkdirSync(share);
  // The default tiny guest runs the cloud kernel, which Debian builds without 9p.
  const source = qemuSource(home, await tinyGuestImage(), {
    name: 'cloud',
    sharedFolders: [{ host: share, guest: '/mnt/share' }],
  });
  const env = { TWINBOX_HOME: home };
  t.teardown(() => {
    for (const pid of qemuPidsUnder(home)) process.kill(pid, 'SIGKILL');
  });
  try {
    await ok(t, home, ['pack', source, '--out', join(home, 'cloud.twbx')]);
    await ok(t, home, ['install', join(home, 'cloud.twbx'), '--unattended']);
    const failed = await twinbox(['setup', 'cloud'], env, undefined, LONG_MS);
    t.is(failed.exitCode, 1, failed.stderr);
    t.regex(failed.stderr, /could not mount its shared folder .*share at \/mnt\/share: mount: mounting tbx0-share on \/mnt\/share failed: No such device/);
    const status = JSON.parse((await ok(t, home, ['status', 'cloud', '--json'])).stdout) as { setup: { state: string; step: string; code: number }; reason: string };
    t.like(status.setup, { state: 'failed', step: 'shared-folders', code: 1051 });
    t.regex(status.reason, /shared folder .* at \/mnt\/share not mounted \(mount: mounting tbx0-share on \/mnt\/share failed: No such device\)/);
    const events = (await ok(t, home, ['logs', 'cloud', '--json', '-n', '1000'])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { code?: number; level: string; message: string });
    const mountFailed = events.find((event) => event.code === 4011);
    t.is(mountFailed?.level, 'error');
    t.regex(mountFailed?.message ?? '', /^the guest of "cloud" could not mount its shared folder .*: mount: mounting tbx0-share on \/mnt\/share failed: No such device; the guest kernel has no 9p: it needs the 9p, 9pnet and 9pnet_virtio modules/);
    await ok(t, home, ['stop', 'cloud', '--force'], {}, LONG_MS);
  } catch (error) {
    t.log(consoleLogs(home));
    throw error;
  }
});
