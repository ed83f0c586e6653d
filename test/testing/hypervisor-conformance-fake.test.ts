import 'reflect-metadata';
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Tokens, type HypervisorPlugin, type PluginContainer } from 'twinbox/plugin-api';
import { register } from '../../plugins/fake/index.js';
import { ExecaCommandRunner } from '../../src/core/process/execa-runner.js';
import { hypervisorConformance } from '../../src/testing/hypervisor-conformance.js';
import { makeTarImage, realClock } from '../plugins/fake/helpers/fake-fixture.js';

const home = await mkdtemp(join(tmpdir(), 'twinbox-home-'));
// Short: unix socket paths must stay under 108 bytes.
const runtimeDir = await mkdtemp('/tmp/tbx-');
test.after.always(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(runtimeDir, { recursive: true, force: true });
});

/** Wired the way the core wires a plugin: a child container holding the services, then register(). */
function createPlugin(): HypervisorPlugin {
  const child = container.createChildContainer();
  child.register(Tokens.CommandRunner, { useValue: new ExecaCommandRunner() });
  child.register(Tokens.PluginPaths, {
    useValue: { dataDir: join(home, 'data', 'plugins', 'fake'), runtimeDir, cacheDir: join(home, 'cache', 'plugins', 'fake') },
  });
  child.register(Tokens.Clock, { useValue: realClock });
  register(child as unknown as PluginContainer);
  return child.resolve<HypervisorPlugin>(Tokens.Hypervisor);
}

hypervisorConformance(test, {
  name: 'fake',
  createPlugin,
  makeImage: async (dir) => ({
    path: await makeTarImage(dir, { 'usr/share/applications/hello.desktop': '[Desktop Entry]\nName=Hello\nExec=hello\n' }),
    format: 'raw',
  }),
  bootTimeoutMs: 20_000,
});
