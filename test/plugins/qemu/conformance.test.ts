import 'reflect-metadata';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { container } from 'tsyringe';
import { Tokens, type HypervisorPlugin, type PluginContainer } from 'twinbox/plugin-api';
import { register } from '../../../plugins/qemu/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { ExecaCommandRunner } from '../../../src/core/process/execa-runner.js';
import { hypervisorConformance } from '../../../src/testing/hypervisor-conformance.js';
import { BOOT_TIMEOUT_MS, qemuMissing, qemuProcessesUnder } from './helpers/real-qemu.js';
import { tinyGuestImage } from './helpers/tiny-guest.js';

const missing = qemuMissing();
if (missing) {
  test('qemu: hypervisor conformance', (t) => {
    t.log(`skipped: ${missing}`);
    t.pass();
  });
} else {
  // Short: unix socket paths must stay under 108 bytes.
  const home = await mkdtemp(join(tmpdir(), 'tbqc-'));
  test.after.always(async () => {
    const left = qemuProcessesUnder(home);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    await rm(home, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`qemu processes left running: ${left.join(', ')}`);
  });

  /** Wired the way the core wires a plugin: a child container with the services, then register(). */
  const createPlugin = (): HypervisorPlugin => {
    const child = container.createChildContainer();
    child.register(Tokens.CommandRunner, { useValue: new ExecaCommandRunner() });
    child.register(Tokens.PluginPaths, {
      useValue: { dataDir: join(home, 'data'), runtimeDir: join(home, 'run'), cacheDir: join(home, 'cache') },
    });
    child.register(Tokens.Clock, { useValue: systemClock });
    register(child as unknown as PluginContainer);
    return child.resolve<HypervisorPlugin>(Tokens.Hypervisor);
  };

  hypervisorConformance(test, {
    name: 'qemu',
    createPlugin,
    makeImage: async (dir) => {
      const path = join(dir, 'tiny-guest.qcow2');
      await copyFile(await tinyGuestImage(), path);
      return { path, format: 'qcow2' };
    },
    workDir: () => mkdtemp(join(home, 'w-')),
    bootTimeoutMs: BOOT_TIMEOUT_MS,
  });
}
