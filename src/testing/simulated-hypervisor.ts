import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installRoot } from '../core/install-root.js';
import { ExecaCommandRunner } from '../core/process/execa-runner.js';
import { packGuestFiles, type GuestFile } from '../core/demo/fake-guest-image.js';
import { Tokens, type Clock, type CommandRunner, type DiskFormat, type HypervisorPlugin, type PluginContainer, type PluginPaths } from '../plugin-api/index.js';

interface FakePluginModule {
  FakeHypervisor: new (runner: CommandRunner, paths: PluginPaths, clock: Clock) => HypervisorPlugin;
}

let loaded: Promise<FakePluginModule> | undefined;

/** The built-in fake plugin of this installation, imported from its own folder as the core imports it. */
function fakePlugin(): Promise<FakePluginModule> {
  loaded ??= (async () => {
    const dir = join(installRoot(), 'build', 'plugins', 'fake');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { twinbox: { entry: string } };
    return (await import(pathToFileURL(join(dir, manifest.twinbox.entry)).href)) as FakePluginModule;
  })();
  return loaded;
}

/**
 * twinbox's simulated hypervisor (the built-in `fake` plugin: each VM a detached process that
 * speaks the real QEMU guest agent protocol), built from the services in `container` — the
 * child container twinbox hands a plugin's register(). For plugin authors: a working machine
 * to delegate to while a plugin is young, or to wrap, and to run the conformance suites on.
 */
export async function simulatedHypervisor(container: PluginContainer): Promise<HypervisorPlugin> {
  const { FakeHypervisor } = await fakePlugin();
  return new FakeHypervisor(
    container.resolve<CommandRunner>(Tokens.CommandRunner),
    container.resolve<PluginPaths>(Tokens.PluginPaths),
    container.resolve<Clock>(Tokens.Clock),
  );
}

/**
 * Writes a guest image the simulated hypervisor boots (a tar of the guest's files, format
 * `raw`) into `dir`: the `makeImage` of `hypervisorConformance` for a plugin built on it.
 */
export async function makeSimulatedImage(dir: string, files: Record<string, string | GuestFile> = {}): Promise<{ path: string; format: DiskFormat }> {
  const path = join(dir, 'guest.tar');
  await packGuestFiles(new ExecaCommandRunner(), files, path);
  return { path, format: 'raw' };
}
