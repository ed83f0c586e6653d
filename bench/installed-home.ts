import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HypervisorPlugin } from '../src/plugin-api/index.js';
import { openCore } from '../src/core/open-core.js';
import { resolvePaths } from '../src/core/paths.js';
import { WorkspaceRegistry } from '../src/core/workspace/registry.js';
import { workspaceLayout } from '../src/core/workspace/layout.js';

export interface BenchHome {
  home: string;
  env: NodeJS.ProcessEnv;
}

export function benchHome(prefix: string): BenchHome {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = { ...process.env, TWINBOX_HOME: home };
  delete env.CI;
  return { home, env };
}

/** Removes a bench home and the runtime folder (sockets, pid files) twinbox derived for it. */
export function removeBenchHome(home: string): void {
  rmSync(resolvePaths({ TWINBOX_HOME: home }).runtimeDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}

export interface BenchImage {
  /** File name in the store folder. */
  file: string;
  format: 'raw' | 'qcow2';
  /** Writes the image at this path. */
  write: (path: string) => void;
}

export interface BenchInstallOptions {
  hypervisor?: 'fake' | 'qemu';
  /** Declared apps of the package (workspace.json's publishing.apps). */
  apps?: Array<{ id: string; name: string; kind: 'command' | 'terminal'; command: string[] }>;
}

/**
 * Installs a workspace the way `twinbox install` leaves it (store folder with workspace.json
 * and a read-only base image, pending registry entry), without packing: benchmarks measure
 * what comes after the install.
 */
export function installImageForBench(bench: BenchHome, name: string, image: BenchImage, options: BenchInstallOptions = {}): void {
  const paths = resolvePaths(bench.env);
  // Opened before the package lands in the store, as an install opens it: a registry that does
  // not know a package found in the store is rebuilt from it (and says so).
  const registry = new WorkspaceRegistry(paths.dataDir);
  const storeDir = join(paths.dataDir, 'store', name, '1.0.0');
  mkdirSync(storeDir, { recursive: true });
  const imagePath = join(storeDir, image.file);
  image.write(imagePath);
  const hypervisor = options.hypervisor ?? 'fake';
  writeFileSync(
    join(storeDir, 'workspace.json'),
    JSON.stringify({
      name,
      version: '1.0.0',
      image: { file: image.file, format: image.format, sha256: '0'.repeat(64) },
      vm: { memoryMiB: 256, cpus: 1, network: 'none' },
      hypervisors: { allowed: [hypervisor], preferred: [hypervisor] },
      setup: { copyTimeZone: false },
      ...(options.apps ? { publishing: { apps: options.apps } } : {}),
    }),
  );
  registry.put({
    name,
    version: '1.0.0',
    description: '',
    installedAt: new Date().toISOString(),
    storeDir,
    imagePath,
    setup: { state: 'pending' },
  });
}

/** A workspace for the fake hypervisor whose image is sparse: its size costs no disk. */
export function installForBench(bench: BenchHome, name: string, imageBytes: number): void {
  installImageForBench(bench, name, {
    file: 'disk.img',
    format: 'raw',
    write: (path) => {
      writeFileSync(path, '');
      truncateSync(path, imageBytes);
    },
  });
}

/** Many set-up workspaces with stopped fake VMs, as a fleet host would have. */
export async function installManyForBench(bench: BenchHome, count: number): Promise<HypervisorPlugin> {
  const core = openCore({ env: bench.env });
  const fake = await core.plugins.hypervisor('fake');
  const paths = resolvePaths(bench.env);
  const registry = new WorkspaceRegistry(paths.dataDir);
  for (let index = 0; index < count; index++) {
    const name = `ws-${index}`;
    installForBench(bench, name, 1024 * 1024);
    const entry = registry.get(name);
    const image = await fake.importImage({ source: entry.imagePath, format: 'raw', destinationDir: join(entry.storeDir, 'imported') });
    const vm = await fake.create({
      id: name,
      image,
      vmDir: workspaceLayout(paths, name, '1.0.0').vmDir,
      memoryMiB: 256,
      cpus: 1,
      network: 'none',
      channels: ['org.qemu.guest_agent.0'],
    });
    registry.put({ ...entry, hypervisor: 'fake', vm, setup: { state: 'ready', code: 0 } });
  }
  return fake;
}
