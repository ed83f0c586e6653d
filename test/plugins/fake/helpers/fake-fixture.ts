import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionContext } from 'ava';
import type { Clock, ImportedImage, PluginPaths, VmRef, VmSpec } from 'twinbox/plugin-api';
import { ExecaCommandRunner } from '../../../../src/core/process/execa-runner.js';
import { FakeHypervisor, type FakeFaults } from '../../../../plugins/fake/index.js';

export const AGENT_CHANNEL = 'org.qemu.guest_agent.0';

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
};

export interface FakeEnv {
  base: string;
  paths: PluginPaths;
  fake: FakeHypervisor;
}

/**
 * TWINBOX-style folders for one test: data and cache under the OS temp folder, and a short
 * runtime folder directly in /tmp because unix socket paths are limited to ~108 bytes.
 */
export async function fakeEnv(t: ExecutionContext): Promise<FakeEnv> {
  const base = await mkdtemp(join(tmpdir(), 'twinbox-fake-test-'));
  const runtimeDir = await mkdtemp('/tmp/tbx-');
  const paths: PluginPaths = { dataDir: join(base, 'data'), runtimeDir, cacheDir: join(base, 'cache') };
  t.teardown(async () => {
    await rm(base, { recursive: true, force: true });
    await rm(runtimeDir, { recursive: true, force: true });
  });
  return { base, paths, fake: new FakeHypervisor(new ExecaCommandRunner(), paths, realClock) };
}

/** A tar "disk image" holding the given files (path → content; a content starting with #! is made executable). */
export async function makeTarImage(dir: string, files: Record<string, string>, name = 'guest.tar'): Promise<string> {
  const tree = join(dir, `${name}.tree`);
  for (const [path, content] of Object.entries(files)) {
    const target = join(tree, path);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, content, { mode: content.startsWith('#!') ? 0o755 : 0o644 });
  }
  const archive = join(dir, name);
  const result = await new ExecaCommandRunner().run('tar', ['-cf', archive, '-C', tree, '.']);
  if (result.exitCode !== 0) throw new Error(`tar failed: ${result.stderr}`);
  await rm(tree, { recursive: true, force: true });
  return archive;
}

export interface VmOptions {
  id?: string;
  files?: Record<string, string>;
  faults?: Partial<FakeFaults>;
  start?: boolean;
}

export interface TestVm {
  vm: VmRef;
  image: ImportedImage;
  spec: VmSpec;
  root: string;
}

let counter = 0;

/** Imports an image, creates a VM (and starts it if asked); the VM is removed when the test ends. */
export async function makeVm(t: ExecutionContext, env: FakeEnv, options: VmOptions = {}): Promise<TestVm> {
  counter += 1;
  const id = options.id ?? `vm-${process.pid}-${counter}`;
  const sourceDir = join(env.base, `source-${id}`);
  await mkdir(sourceDir, { recursive: true });
  const source = options.files ? await makeTarImage(sourceDir, options.files) : join(sourceDir, 'disk.raw');
  if (!options.files) await writeFile(source, 'not a real disk\n');
  const image = await env.fake.importImage({ source, format: 'raw', destinationDir: join(env.base, 'images', id) });
  const spec: VmSpec = {
    id,
    image,
    vmDir: join(env.base, 'vms', id),
    memoryMiB: 256,
    cpus: 1,
    network: 'none',
    channels: [AGENT_CHANNEL],
  };
  const vm = await env.fake.create(spec);
  t.teardown(() => env.fake.remove(vm));
  if (options.faults) await env.fake.setFaults(vm, options.faults);
  if (options.start) await env.fake.start(vm, { timeoutMs: 20_000 });
  return { vm, image, spec, root: join(vm.vmDir, 'root') };
}

/** Polls until `check` holds; fails the wait (returns false) after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
}

/** Alive and not a zombie. */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
