import { chmodSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { QemuDetector } from '../../../../plugins/qemu/host/detect.js';
import { hostArch } from '../../../../plugins/qemu/host/host-arch.js';
import { pickAccel } from '../../../../plugins/qemu/host/kvm.js';
import { parseQemuVersion } from '../../../../plugins/qemu/host/version-cache.js';
import { ScriptedRunner } from '../helpers/scripted-runner.js';

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'tbq-detect-'));
  const system = join(dir, 'qemu-system-x86_64');
  const img = join(dir, 'qemu-img');
  for (const file of [system, img]) {
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
  }
  const answers = {
    [`${system} --version`]: { stdout: 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c) 2003-2022\n' },
    [`${img} --version`]: { stdout: 'qemu-img version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\n' },
  };
  const programs = { 'qemu-system-x86_64': system, 'qemu-img': img };
  return { dir, system, img, answers, programs, cacheDir: join(dir, 'cache'), noKvm: join(dir, 'no-kvm') };
}

test('versions are parsed from both tools', (t) => {
  t.is(parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7)'), '7.2.22');
  t.is(parseQemuVersion('qemu-img version 8.2.0'), '8.2.0');
  t.is(parseQemuVersion('nothing here'), undefined);
});

test('the host architecture picks the system emulator', (t) => {
  t.is(hostArch('x64')?.systemBinary, 'qemu-system-x86_64');
  t.is(hostArch('arm64')?.systemBinary, 'qemu-system-aarch64');
  t.is(hostArch('mips'), undefined);
});

test('detect reports paths, acceleration and version, spawning qemu only once per binary', async (t) => {
  const f = fixture();
  t.teardown(() => rmSync(f.dir, { recursive: true, force: true }));
  const runner = new ScriptedRunner(f.answers, f.programs);
  const detector = new QemuDetector({ runner, cacheDir: f.cacheDir, nodeArch: 'x64', kvmDevice: f.noKvm });
  const first = await detector.detect();
  t.true(first.usable);
  t.is(first.version, '7.2.22');
  t.deepEqual(first.details, { accel: 'tcg (software emulation: slow)', qemuSystem: f.system, qemuImg: f.img });
  t.regex(first.reason, /without KVM/);
  t.is(runner.calls.length, 2);

  await detector.detect();
  t.is(runner.calls.length, 2, 'remembered in memory');

  const fresh = new ScriptedRunner(f.answers, f.programs);
  const later = await new QemuDetector({ runner: fresh, cacheDir: f.cacheDir, nodeArch: 'x64', kvmDevice: f.noKvm }).detect();
  t.is(later.version, '7.2.22');
  t.deepEqual(fresh.calls, [], 'a later process reads the cache file and spawns nothing');

  utimesSync(f.system, new Date(), new Date(Date.now() + 5_000));
  const upgraded = new ScriptedRunner(f.answers, f.programs);
  await new QemuDetector({ runner: upgraded, cacheDir: f.cacheDir, nodeArch: 'x64', kvmDevice: f.noKvm }).detect();
  t.deepEqual(upgraded.calls, [`${f.system} --version`], 'a changed binary is asked again');
});

function kvmCheckLine(system: string): string {
  return `${system} -accel kvm -cpu host -nodefaults -display none -S -monitor stdio`;
}

test('a usable /dev/kvm on which QEMU runs a vCPU selects KVM', async (t) => {
  const f = fixture();
  t.teardown(() => rmSync(f.dir, { recursive: true, force: true }));
  const kvm = join(f.dir, 'kvm');
  writeFileSync(kvm, '');
  t.deepEqual(await pickAccel(kvm), { accel: 'kvm' });
  t.deepEqual(await pickAccel(f.noKvm), { accel: 'tcg', whyNotKvm: `${f.noKvm} is not usable` });
  const runner = new ScriptedRunner({ ...f.answers, [kvmCheckLine(f.system)]: { exitCode: 0 } }, f.programs);
  const detected = await new QemuDetector({ runner, cacheDir: f.cacheDir, nodeArch: 'x64', kvmDevice: kvm, bootId: 'boot-1' }).detect();
  t.is(detected.details?.accel, 'kvm');
  t.true(runner.calls.includes(kvmCheckLine(f.system)));
});

test('a /dev/kvm whose vCPUs abort falls back to software emulation, checked once per boot of the host', async (t) => {
  const f = fixture();
  t.teardown(() => rmSync(f.dir, { recursive: true, force: true }));
  const kvm = join(f.dir, 'kvm');
  writeFileSync(kvm, '');
  const aborting = { exitCode: 134, stderr: "kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\n" };
  const runner = new ScriptedRunner({ ...f.answers, [kvmCheckLine(f.system)]: aborting }, f.programs);
  const detector = new QemuDetector({ runner, cacheDir: f.cacheDir, nodeArch: 'x64', kvmDevice: kvm, bootId: 'boot-1' });
  const detected = await detector.detect();
  t.is(detected.details?.accel, 'tcg (software emulation: slow)');
  t.regex(detected.reason, /without KVM \(.*kvm is present but QEMU cannot run a vCPU with it\)/);
  t.is((await detector.require()).accel, 'tcg');

  const sameBoot = new ScriptedRunner(f.answers, f.programs);
  const later = await new QemuDetector({ runner: sameBoot, cacheDir: f.cacheDir, nodeArch: 'x64', kvmDevice: kvm, bootId: 'boot-1' }).detect();
  t.is(later.details?.accel, 'tcg (software emulation: slow)');
  t.deepEqual(sameBoot.calls, [], 'the verdict is read from the cache file during the same boot');

  const nextBoot = new ScriptedRunner({ ...f.answers, [kvmCheckLine(f.system)]: { exitCode: 0 } }, f.programs);
  const rebooted = await new QemuDetector({ runner: nextBoot, cacheDir: f.cacheDir, nodeArch: 'x64', kvmDevice: kvm, bootId: 'boot-2' }).detect();
  t.is(rebooted.details?.accel, 'kvm');
  t.deepEqual(nextBoot.calls, [kvmCheckLine(f.system)], 'after a reboot KVM is checked again');
});

test('missing qemu is unusable, with the install hint, and nothing is spawned', async (t) => {
  const runner = new ScriptedRunner({}, { 'qemu-img': '/usr/bin/qemu-img' });
  const detector = new QemuDetector({ runner, cacheDir: '/nonexistent', nodeArch: 'x64' });
  const availability = await detector.detect();
  t.false(availability.usable);
  t.regex(availability.reason, /qemu-system-x86_64 not found/);
  t.regex(availability.reason, /install qemu-system-x86 and qemu-utils \(apt-get install qemu-system-x86 qemu-utils\)/);
  t.deepEqual(runner.calls, []);
  const error = await t.throwsAsync(detector.require());
  t.like(error, { code: 'qemu-missing' });
  t.regex((error as { hint?: string }).hint ?? '', /apt-get install qemu-system-x86 qemu-utils/);
});
