/** Setup's guest-customisation conformance suite against a real guest booted once on the real QEMU with its real qemu-ga. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestFn } from 'ava';
import type { VmRef } from 'twinbox/plugin-api';
import { systemClock } from '../../../../src/core/clock.js';
import { ExecaCommandRunner } from '../../../../src/core/process/execa-runner.js';
import { guestCustomizationConformance } from '../../../../src/testing/index.js';
import { AGENT_CHANNEL, createQemuHypervisor, type QemuHypervisor } from '../../../../plugins/qemu/index.js';
import { QgaGuestAgentPlugin } from '../../../../plugins/qga/index.js';
import { agent, consoleTail, qemuProcessesUnder, quietLogger } from './real-qemu.js';

interface Booted {
  plugin: QemuHypervisor;
  vm: VmRef;
  home: string;
}

/** Boots `image` once for the suite; the VM is removed after its last test. */
export function guestOnQemu(test: TestFn, name: string, skip: string | undefined, image: () => Promise<string>, memoryMiB: number): void {
  if (skip) {
    test.serial(`${name}: guest customisation (skipped)`, (t) => t.log(`skipped: ${skip}`) ?? t.pass());
    return;
  }
  let booted: Booted | undefined;
  test.before(async (t) => {
    const home = mkdtempSync(join(tmpdir(), 'tbc-'));
    const plugin = createQemuHypervisor({
      runner: new ExecaCommandRunner(),
      paths: { dataDir: join(home, 'data'), cacheDir: join(home, 'cache'), runtimeDir: join(home, 'run') },
      clock: systemClock,
      logger: quietLogger,
    });
    const vm = await plugin.create({
      id: name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-$/, ''),
      image: { path: await image(), format: 'qcow2', sizeBytes: 0 },
      vmDir: join(home, 'vm'),
      memoryMiB,
      cpus: 1,
      network: 'none',
      channels: [],
    });
    booted = { plugin, vm, home };
    const started = Date.now();
    await plugin.start(vm, { timeoutMs: 120_000 });
    (await agent(plugin, vm, 300_000)).close();
    t.log(`${name}: boot to agent in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  test.after.always(async () => {
    if (!booted) return;
    await booted.plugin.stop(booted.vm, { force: true }).catch(() => undefined);
    await booted.plugin.remove(booted.vm).catch(() => undefined);
    for (const pid of qemuProcessesUnder(booted.home)) process.kill(pid, 'SIGKILL');
    rmSync(booted.home, { recursive: true, force: true });
  });
  test.afterEach(async (t) => {
    if (!t.passed && booted) t.log(`--- console.log ---\n${consoleTail(booted.vm)}`);
  });
  guestCustomizationConformance(test, {
    name,
    createPlugin: () => new QgaGuestAgentPlugin(),
    openChannel: () => booted!.plugin.openChannel(booted!.vm, AGENT_CHANNEL),
  });
}

