import { readFileSync } from 'node:fs';
import test from 'ava';
import { Tokens, type FactoryProvider, type HypervisorPlugin, type PluginContainer, type PluginModule, type ValueProvider } from 'twinbox/plugin-api';
import { register } from '../../../plugins/virtualbox/index.js';
import { TranscriptRunner } from '../../../src/testing/transcript-runner.js';
import { steppingClock, tempPaths } from './support/harness.js';

/** The part of a tsyringe child container a plugin sees. */
function mapContainer(): PluginContainer {
  const providers = new Map<string, FactoryProvider<unknown> | ValueProvider<unknown>>();
  const container: PluginContainer = {
    register: (token, provider) => providers.set(token, provider as FactoryProvider<unknown> | ValueProvider<unknown>),
    isRegistered: (token) => providers.has(token),
    resolve: <T>(token: string): T => {
      const provider = providers.get(token);
      if (!provider) throw new Error(`nothing registered for ${token}`);
      return ('useValue' in provider ? provider.useValue : provider.useFactory(container)) as T;
    },
  };
  return container;
}

test('register() provides one VirtualBox hypervisor built from the core’s services', (t) => {
  const paths = tempPaths();
  t.teardown(paths.cleanup);
  const container = mapContainer();
  container.register(Tokens.CommandRunner, { useValue: new TranscriptRunner([]) });
  container.register(Tokens.PluginPaths, { useValue: paths });
  container.register(Tokens.Clock, { useValue: steppingClock().clock });
  register(container);
  const plugin = container.resolve<HypervisorPlugin>(Tokens.Hypervisor);
  t.like(plugin, { kind: 'hypervisor', name: 'virtualbox', displayName: 'VirtualBox', simulated: false });
  t.is(container.resolve<HypervisorPlugin>(Tokens.Hypervisor), plugin);
  for (const method of ['detect', 'capabilities', 'importImage', 'create', 'start', 'stop', 'pause', 'suspend', 'resume', 'state', 'listSnapshots', 'createSnapshot', 'restoreSnapshot', 'deleteSnapshot', 'remove', 'openChannel'] as const) {
    t.is(typeof plugin[method], 'function', method);
  }
});

test('the manifest names the plugin, its kind, API version and entry', (t) => {
  const manifest = JSON.parse(readFileSync(new URL('../../../../plugins/virtualbox/package.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  t.like(manifest, {
    name: 'twinbox-plugin-virtualbox',
    private: true,
    type: 'module',
    twinbox: { name: 'virtualbox', kind: 'hypervisor', apiVersion: '1.2.0', entry: './index.js', displayName: 'VirtualBox' },
  });
});

test('the built plugin folder loads as the core loads it: manifest, entry module, register()', async (t) => {
  const folder = new URL('../../../plugins/virtualbox/', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('package.json', folder), 'utf8')) as { twinbox: { entry: string } };
  const entry = (await import(new URL(manifest.twinbox.entry, folder).href)) as PluginModule;
  const container = mapContainer();
  container.register(Tokens.CommandRunner, { useValue: new TranscriptRunner([]) });
  container.register(Tokens.PluginPaths, { useValue: { dataDir: '/d', runtimeDir: '/r', cacheDir: '/c' } });
  container.register(Tokens.Clock, { useValue: steppingClock().clock });
  await entry.register(container);
  t.like(container.resolve<HypervisorPlugin>(Tokens.Hypervisor), { kind: 'hypervisor', name: 'virtualbox', displayName: 'VirtualBox' });
});
