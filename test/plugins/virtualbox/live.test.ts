import 'reflect-metadata';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import test from 'ava';
import { container } from 'tsyringe';
import { Tokens, type DiskFormat, type HypervisorPlugin, type PluginContainer } from 'twinbox/plugin-api';
import { register } from '../../../plugins/virtualbox/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { ExecaCommandRunner } from '../../../src/core/process/execa-runner.js';
import { hypervisorConformance } from '../../../src/testing/hypervisor-conformance.js';

// Against the real VirtualBox only when asked: TWINBOX_LIVE_TESTS=virtualbox (or a list
// containing it). The conformance suite also needs TWINBOX_LIVE_IMAGE: a small bootable image
// whose QEMU guest agent listens on the first serial port (ttyS0 / COM1), which is where this
// plugin puts the agent channel.
const live = (process.env.TWINBOX_LIVE_TESTS ?? '').split(/[,|\s]+/).includes('virtualbox');
const image = process.env.TWINBOX_LIVE_IMAGE;

if (!live) {
  test.skip('virtualbox (live): conformance against the real VirtualBox (skipped: set TWINBOX_LIVE_TESTS=virtualbox)', () => undefined);
} else {
  // Short: the serial port's unix socket path must stay under 104 bytes.
  const home = await mkdtemp(join(tmpdir(), 'tbvb-'));
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

  test.serial('virtualbox (live): detect() finds a usable VirtualBox', async (t) => {
    const availability = await createPlugin().detect();
    t.true(availability.usable, availability.reason);
    t.regex(availability.version ?? '', /^\d+\.\d+\.\d+$/);
  });

  if (!image) {
    test.skip('virtualbox (live): conformance (skipped: set TWINBOX_LIVE_IMAGE to a bootable image with the guest agent on ttyS0)', () => undefined);
  } else {
    hypervisorConformance(test, {
      name: 'virtualbox (live)',
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
