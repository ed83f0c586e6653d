import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { PluginLogger, VmRef, VmSpec } from 'twinbox/plugin-api';
import { systemClock } from '../../../../src/core/clock.js';
import { ExecaCommandRunner } from '../../../../src/core/process/execa-runner.js';
import { AGENT_CHANNEL, createQemuHypervisor, type QemuHypervisor } from '../../../../plugins/qemu/index.js';
import { TestQgaClient } from './qga-client.js';
import { tinyGuestImage } from './tiny-guest.js';

export const BOOT_TIMEOUT_MS = 120_000;

/** Why the real-QEMU tests cannot run here, or undefined when they can. */
export function qemuMissing(): string | undefined {
  for (const program of ['qemu-system-x86_64', 'qemu-img']) {
    try {
      execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    } catch {
      return `${program} is not installed (apt-get install qemu-system-x86 qemu-utils)`;
    }
  }
  if (process.arch !== 'x64') return 'the tiny guest is an x86_64 image';
  return undefined;
}

export const quietLogger: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface RealSetup {
  plugin: QemuHypervisor;
  /** Short folder that holds everything; the runtime dir is inside it. */
  home: string;
  runtimeDir: string;
  image: string;
}

/** A plugin over the real process boundary with state in a fresh short temp folder. */
export async function realSetup(t: ExecutionContext): Promise<RealSetup> {
  const image = await tinyGuestImage();
  const home = mkdtempSync(join(tmpdir(), 'tbq-'));
  const runtimeDir = join(home, 'run');
  const plugin = createQemuHypervisor({
    runner: new ExecaCommandRunner(),
    paths: { dataDir: join(home, 'data'), cacheDir: join(home, 'cache'), runtimeDir },
    clock: systemClock,
    logger: quietLogger,
  });
  t.teardown(() => {
    const left = qemuProcessesUnder(home);
    rmSync(home, { recursive: true, force: true });
    if (left.length > 0) {
      for (const pid of left) process.kill(pid, 'SIGKILL');
      throw new Error(`qemu processes left running: ${left.join(', ')}`);
    }
  });
  return { plugin, home, runtimeDir, image };
}

/** QEMU processes whose command line mentions this test's folder (other tests' VMs are not ours to judge). */
export function qemuProcessesUnder(folder: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `qemu-system.*${folder}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export function tinySpec(setup: RealSetup, id: string, base: string, extra: Partial<VmSpec> = {}): VmSpec {
  return {
    id,
    image: { path: base, format: 'qcow2', sizeBytes: 0 },
    vmDir: join(setup.home, 'vms', id),
    memoryMiB: 256,
    cpus: 1,
    network: 'none',
    channels: [],
    ...extra,
  };
}

/**
 * Runs a real-QEMU test body; when it fails, the tail of each VM's console log goes into
 * the test's log, since that is where a guest that never came up says why.
 */
export function guarded(body: (t: ExecutionContext, watch: (vm: VmRef) => VmRef) => Promise<void>): (t: ExecutionContext) => Promise<void> {
  return async (t) => {
    const watched: VmRef[] = [];
    try {
      await body(t, (vm) => {
        watched.push(vm);
        return vm;
      });
    } catch (error) {
      for (const vm of watched) t.log(`--- ${vm.id}: console.log ---\n${consoleTail(vm)}`);
      throw error;
    }
  };
}

export function consoleTail(vm: VmRef, lines = 30): string {
  try {
    return readFileSync(join(vm.vmDir, 'console.log'), 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no console.log)';
  }
}

/** Connects to the guest agent and waits (up to the boot timeout) until it answers. */
export async function agent(plugin: QemuHypervisor, vm: VmRef, timeoutMs = BOOT_TIMEOUT_MS): Promise<TestQgaClient> {
  const client = new TestQgaClient(await plugin.openChannel(vm, AGENT_CHANNEL));
  try {
    await client.sync(timeoutMs);
  } catch (error) {
    client.close();
    throw new Error(`${(error as Error).message}\n--- console.log ---\n${consoleTail(vm)}`);
  }
  return client;
}
