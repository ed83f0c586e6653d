import { spawn } from 'node:child_process';
import test from 'ava';
import { isOurQemu, judgePid, parsePidFile, probeProcess } from '../../../../plugins/qemu/driver/process.js';

const pidFile = '/run/tb/dev/qemu.pid';
const qemuCmdline = ['/usr/bin/qemu-system-x86_64', '-name', 'twinbox-dev', '-daemonize', '-pidfile', pidFile];

test('only a qemu binary started with this very pid file is our VM', (t) => {
  t.true(isOurQemu(qemuCmdline, pidFile));
  t.false(isOurQemu(['/bin/bash', '-pidfile', pidFile], pidFile), 'another program that reused the pid');
  t.false(isOurQemu(['/usr/bin/qemu-system-x86_64', '-pidfile', '/run/tb/other/qemu.pid'], pidFile), "another VM's qemu");
  t.false(isOurQemu([], pidFile));
});

test('a pid file naming a dead or foreign process is stale', (t) => {
  t.deepEqual(judgePid(undefined, undefined, pidFile), { kind: 'absent' });
  t.deepEqual(judgePid(123, { alive: true, cmdline: qemuCmdline }, pidFile), { kind: 'ours', pid: 123 });
  t.like(judgePid(123, { alive: false }, pidFile), { kind: 'stale', pid: 123, reason: 'qemu process 123 is gone' });
  const foreign = judgePid(123, { alive: true, cmdline: ['/usr/bin/vim', 'notes.txt'] }, pidFile);
  t.like(foreign, { kind: 'stale', pid: 123 });
  if (foreign.kind === 'stale') t.regex(foreign.reason, /belongs to \/usr\/bin\/vim/);
  t.like(judgePid(123, { alive: true }, pidFile), { kind: 'ours' }, 'without a readable command line, liveness decides');
  t.like(judgePid(123, { alive: true, cmdline: [] }, pidFile), { kind: 'stale', reason: 'qemu process 123 is gone' }, 'a process on its way out has an empty command line');
});

test('pid files are parsed leniently', (t) => {
  t.is(parsePidFile('4242\n'), 4242);
  t.is(parsePidFile(''), undefined);
  t.is(parsePidFile('abc'), undefined);
  t.is(parsePidFile('-1'), undefined);
});

test('the process probe sees a live process with its command line, and a dead one as dead', async (t) => {
  const self = await probeProcess(process.pid);
  t.true(self.alive);
  if (process.platform === 'linux') t.true(self.cmdline?.[0]?.includes('node'));
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid ?? 0;
  await new Promise((resolve) => child.on('exit', resolve));
  t.false((await probeProcess(pid)).alive);
});
