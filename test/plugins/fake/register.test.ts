import 'reflect-metadata';
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { container } from 'tsyringe';
import { Tokens, type HypervisorPlugin, type PluginContainer } from 'twinbox/plugin-api';
import { ExecaCommandRunner } from '../../../src/core/process/execa-runner.js';
import { FakeHypervisor, register } from '../../../plugins/fake/index.js';
import { realClock } from './helpers/fake-fixture.js';

test('register() provides the fake hypervisor from the container services', async (t) => {
  const child = container.createChildContainer();
  child.register(Tokens.CommandRunner, { useValue: new ExecaCommandRunner() });
  child.register(Tokens.PluginPaths, { useValue: { dataDir: '/nonexistent/data', runtimeDir: '/nonexistent/run', cacheDir: '/nonexistent/cache' } });
  child.register(Tokens.Clock, { useValue: realClock });
  register(child as unknown as PluginContainer);
  const plugin = child.resolve<HypervisorPlugin>(Tokens.Hypervisor);
  t.true(plugin instanceof FakeHypervisor);
  t.like(plugin, { kind: 'hypervisor', name: 'fake', displayName: 'fake (simulated)', simulated: true });
  // Console ports need socat, which CI installs; console-ports-without-socat.test.ts covers a machine without.
  const socat = await new ExecaCommandRunner().which('socat');
  t.deepEqual(await plugin.detect(), {
    usable: true,
    reason: socat
      ? 'built-in simulated hypervisor: runs no real guest; console ports for terminal apps through socat'
      : 'built-in simulated hypervisor: runs no real guest; no console ports for terminal apps (socat is not installed on this machine: apt-get install socat)',
    version: '0.1.0',
    details: { guest: new URL('../../../plugins/fake/guest/main.js', import.meta.url).pathname, socat: socat ?? 'not installed' },
  });
});

test('the built plugin folder carries its manifest, pointed at the one-module bundle of the plugin', async (t) => {
  const manifest = JSON.parse(await readFile(new URL('../../../plugins/fake/package.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  t.like(manifest, {
    name: 'twinbox-plugin-fake',
    type: 'module',
    twinbox: { name: 'fake', kind: 'hypervisor', apiVersion: '1.3.0', entry: './plugin.bundle.js', displayName: 'fake (simulated)' },
  });
  const bundled = (await import(new URL('../../../plugins/fake/plugin.bundle.js', import.meta.url).href)) as { register?: unknown };
  t.is(typeof bundled.register, 'function');
});
