import 'reflect-metadata';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import test from 'ava';
import { container } from 'tsyringe';
import { Tokens, type DiskFormat, type HypervisorPlugin, type PluginContainer } from 'twinbox/plugin-api';
import { register } from '../../../plugins/hyperv/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { ExecaCommandRunner } from '../../../src/core/process/execa-runner.js';
import { hypervisorConformance } from '../../../src/testing/hypervisor-conformance.js';

// Against the real Hyper-V only when asked: TWINBOX_LIVE_TESTS=hyperv (or a list containing
// it), on Windows with Hyper-V rights. The conformance suite also needs TWINBOX_LIVE_IMAGE (a
// small bootable image whose QEMU guest agent listens on COM1); from WSL set TWINBOX_LIVE_DIR
// to a folder on a Windows drive (/mnt/c/...), since Hyper-V keeps no disks inside WSL.
const live = (process.env.TWINBOX_LIVE_TESTS ?? '').split(/[,|\s]+/).includes('hyperv');
const image = process.env.TWINBOX_LIVE_IMAGE;

if (!live) {
  test.skip('hyperv (live): conformance against the real Hyper-V (skipped: set TWINBOX_LIVE_TESTS=hyperv)', () => undefined);
} else {
  const home = await mkdtemp(join(process.env.TWINBOX_LIVE_DIR ?? tmpdir(), 'tbhv-'));
  test.after.always(() => rm(home, { recursive: true, force: true }));

  /** Wired the way the core wires a plugin: a child container with the services, then register(). */
  const createPlugin = (): HypervisorPlugin => {
    const child = container.createChildContainer();
    child.register(Tokens.CommandRunner, { useValue: new ExecaCommandRunner() });
    child.register(Tokens.PluginPaths, { useValue: { dataDir: join(home, 'data'), runtimeDir: join(home, 'run'), cacheDir: join(home, 'cache') } });
    child.register(Tokens.Clock, { useValue: systemClock });
    register(child as unknown as PluginContainer);
    return child.resolve<HypervisorPlugin>(Tokens.Hypervisor);
  };

  test.serial('hyperv (live): detect() finds a usable Hyper-V', async (t) => {
    const availability = await createPlugin().detect();
    t.true(availability.usable, availability.reason);
  });

  if (!image) {
    test.skip('hyperv (live): conformance (skipped: set TWINBOX_LIVE_IMAGE to a bootable image with the guest agent on COM1)', () => undefined);
  } else {
    hypervisorConformance(test, {
      name: 'hyperv (live)',
      createPlugin,
      makeImage: async (dir) => {
        const path = join(dir, basename(image));
        await copyFile(image, path);
        return { path, format: extname(image).slice(1) as DiskFormat };
      },
      workDir: () => mkdtemp(join(home, 'w-')),
      bootTimeoutMs: Number(process.env.TWINBOX_LIVE_BOOT_TIMEOUT_MS ?? 180_000),
    });
  }
}
