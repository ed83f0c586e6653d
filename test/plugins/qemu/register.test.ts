import test from 'ava';
import { Tokens, type HypervisorPlugin, type PluginContainer } from 'twinbox/plugin-api';
import { register } from '../../../plugins/qemu/index.js';
import { ScriptedRunner } from './helpers/scripted-runner.js';

/** The part of tsyringe a plugin sees, as a map. */
function mapContainer(values: Record<string, unknown>): PluginContainer {
  const factories = new Map<string, (c: PluginContainer) => unknown>();
  const container: PluginContainer = {
    register: (token, provider) => {
      factories.set(token, 'useFactory' in provider ? provider.useFactory : () => provider.useValue);
    },
    resolve: <T>(token: string): T => {
      const factory = factories.get(token);
      if (factory) return factory(container) as T;
      if (token in values) return values[token] as T;
      throw new Error(`nothing registered for ${token}`);
    },
    isRegistered: (token) => factories.has(token) || token in values,
  };
  return container;
}

test('register() provides one QEMU hypervisor built from the injected services', (t) => {
  const container = mapContainer({
    [Tokens.CommandRunner]: new ScriptedRunner(),
    [Tokens.PluginPaths]: { dataDir: '/d', runtimeDir: '/r', cacheDir: '/c' },
    [Tokens.Clock]: { now: () => 0, sleep: async () => undefined },
  });
  register(container);
  const plugin = container.resolve<HypervisorPlugin>(Tokens.Hypervisor);
  t.is(plugin.kind, 'hypervisor');
  t.is(plugin.name, 'qemu');
  t.false(plugin.simulated);
  t.true(plugin.capabilities().linkedClones);
  t.is(container.resolve(Tokens.Hypervisor), plugin, 'the same instance every time');
});
