import 'reflect-metadata';
import { PassThrough } from 'node:stream';
import test from 'ava';
import { container as globalContainer } from 'tsyringe';
import {
  defineHypervisorPlugin,
  mustAct,
  POWER_RULES,
  registerHypervisor,
  Tokens,
  type HypervisorPlugin,
  type PluginContainer,
  type PluginServices,
  type VmSpec,
} from 'twinbox/plugin-api';

interface Context {
  label: string;
  created: VmSpec[];
}

const noop = async () => undefined;

function definition(label: string) {
  return {
    name: 'tiny',
    displayName: 'Tiny',
    context: (options: { label: string }): Context => ({ label: options.label, created: [] }),
    capabilities: { linkedClones: false, suspend: false, pause: false, snapshots: false, channels: true, importFormats: ['raw'], createFormats: ['qcow2'] } as const,
    limits: { cpus: 4, memoryMiB: { min: 64, step: 2 }, channels: { max: 1, as: 'serial ports' } },
    provider: { detect: async (context: Context) => ({ usable: true, reason: context.label }), state: async () => ({ state: 'stopped' as const, reason: label }) },
    actions: {
      importImage: async () => ({ path: '/base.qcow2', format: 'qcow2' as const, sizeBytes: 1 }),
      create: async (context: Context, spec: VmSpec) => {
        context.created.push(spec);
        return { id: spec.id, vmDir: spec.vmDir };
      },
      start: noop,
      stop: async () => ({ how: 'already-stopped' as const }),
      pause: noop,
      suspend: noop,
      resume: noop,
      remove: noop,
      listSnapshots: async () => [],
      createSnapshot: noop,
      restoreSnapshot: noop,
      deleteSnapshot: noop,
    },
  };
}

class Tiny extends defineHypervisorPlugin({ ...definition('tiny'), caps: { openChannel: async () => new PassThrough() } }) {}
class TinyWithScreen extends defineHypervisorPlugin({
  ...definition('screen'),
  caps: {
    openChannel: async () => new PassThrough(),
    display: async (context: Context) => ({ protocol: 'console' as const, address: context.label, viewer: `view ${context.label}` }),
  },
}) {}

const spec: VmSpec = { id: 'one', image: { path: '/base.qcow2', format: 'qcow2', sizeBytes: 1 }, vmDir: '/vms/one', memoryMiB: 128, cpus: 2, network: 'nat', channels: ['agent'] };

test('a defined plugin is a whole HypervisorPlugin, built from its context', async (t) => {
  const plugin: HypervisorPlugin = new Tiny({ label: 'built' });
  t.like(plugin, { kind: 'hypervisor', name: 'tiny', displayName: 'Tiny', simulated: false });
  t.deepEqual(await plugin.detect(), { usable: true, reason: 'built' });
  t.is(plugin.capabilities(), plugin.capabilities(), 'the same capabilities every time');
  t.true(Object.isFrozen(plugin.capabilities()));
  t.true(plugin instanceof Tiny);
});

test('an optional capability exists only where the definition has it', async (t) => {
  const plain: HypervisorPlugin = new Tiny({ label: 'a' });
  t.is(plain.display, undefined);
  t.is(plain.forwardPort, undefined);
  t.is(plain.consoleTail, undefined);
  const screen = new TinyWithScreen({ label: 'b' });
  t.deepEqual(await screen.display(spec), { protocol: 'console', address: 'b', viewer: 'view b' });
  t.is((screen as HypervisorPlugin).forwardPort, undefined);
});

test('create checks the limits and the create formats before the plugin acts', async (t) => {
  const plugin = new Tiny({ label: 'x' });
  await t.throwsAsync(plugin.create({ ...spec, cpus: 5 }), { code: 'invalid-spec', message: 'cpus must be a whole number from 1 to 4, not 5' });
  await t.throwsAsync(plugin.create({ ...spec, memoryMiB: 63 }), { code: 'invalid-spec' });
  await t.throwsAsync(plugin.create({ ...spec, memoryMiB: 129 }), { code: 'invalid-spec', message: /in steps of 2/ });
  await t.throwsAsync(plugin.create({ ...spec, channels: ['a', 'b'] }), { code: 'invalid-spec', message: 'Tiny offers 1 serial ports; 2 channels were asked for' });
  await t.throwsAsync(plugin.create({ ...spec, image: { path: '/store/image.raw', format: 'raw', sizeBytes: 1 } }), { code: 'image-not-imported', message: /Tiny makes VMs from qcow2 images/ });
  t.deepEqual(plugin.context.created, [], 'nothing reached the plugin');
  t.deepEqual(await plugin.create(spec), { id: 'one', vmDir: '/vms/one' });
  t.deepEqual(plugin.context.created, [spec]);
});

test('registerHypervisor builds the plugin once, from the services, and every resolve gets it', (t) => {
  // tsyringe calls a factory provider on every resolve: what is registered must be the one object.
  const container = globalContainer.createChildContainer() as unknown as PluginContainer;
  container.register(Tokens.CommandRunner, { useValue: 'runner' });
  container.register(Tokens.PluginPaths, { useValue: { dataDir: '/d', runtimeDir: '/r', cacheDir: '/c' } });
  container.register(Tokens.Clock, { useValue: 'clock' });
  const built: PluginServices[] = [];
  registerHypervisor((services) => {
    built.push(services);
    return new Tiny({ label: 'registered' });
  })(container);
  const first = container.resolve<HypervisorPlugin>(Tokens.Hypervisor);
  t.is(container.resolve<HypervisorPlugin>(Tokens.Hypervisor), first);
  t.is(built.length, 1);
  t.like(built[0], { runner: 'runner', clock: 'clock', paths: { dataDir: '/d' } });
  t.notThrows(() => built[0]!.logger.warn('no event log registered: the logger is silent'));
});

test('the power guard: done, act, or a clear error', (t) => {
  const vm = { id: 'one', vmDir: '/vms/one' };
  t.false(mustAct({ state: 'paused', reason: 'paused' }, POWER_RULES.pause, vm, 'pause', 'Tiny'));
  t.true(mustAct({ state: 'running', reason: 'running' }, POWER_RULES.pause, vm, 'pause', 'Tiny'));
  t.throws(() => mustAct({ state: 'not-created', reason: 'gone' }, POWER_RULES.pause, vm, 'pause', 'Tiny'), { code: 'vm-not-found', message: 'Tiny has no VM for one' });
  t.throws(() => mustAct({ state: 'stopped', reason: 'powered off' }, POWER_RULES.suspend, vm, 'suspend', 'Tiny'), {
    code: 'invalid-state',
    message: 'cannot suspend one while it is stopped (powered off)',
  });
});
