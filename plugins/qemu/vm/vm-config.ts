import { readFile } from 'node:fs/promises';
import { writeFileAtomic, type VmSpec } from 'twinbox/plugin-api';
import type { VmPaths } from './vm-paths.js';

/**
 * What twinbox last did to the VM. Together with the pid file it tells a clean stop from a
 * crash: QEMU deletes its pid file when it exits normally, never when it is killed.
 */
export type Lifecycle = 'created' | 'running' | 'stopping' | 'stopped' | 'suspending' | 'suspended';

/** `<vmDir>/qemu-vm.json`: everything a later twinbox process needs to find the VM again. */
export interface QemuVmConfig {
  format: 1;
  spec: VmSpec;
  paths: VmPaths;
  /** Program and arguments of the last start (at creation: how it would start). */
  argv: string[];
  lifecycle: Lifecycle;
  /** When `lifecycle` last changed, ISO 8601. */
  changedAt: string;
  /** Pid of the last QEMU twinbox started, for messages about a crash. */
  lastPid?: number;
}

function isConfig(value: unknown): value is QemuVmConfig {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<QemuVmConfig>;
  return candidate.format === 1 && typeof candidate.spec === 'object' && typeof candidate.paths === 'object' && Array.isArray(candidate.argv);
}

export async function readVmConfig(path: string): Promise<QemuVmConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isConfig(parsed)) throw new Error(`${path} is not a twinbox QEMU VM file`);
  return parsed;
}

/** Atomic (`writeFileAtomic`) and private: it names paths of the user's files. */
export async function writeVmConfig(config: QemuVmConfig): Promise<void> {
  await writeFileAtomic(config.paths.config, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}

export async function setLifecycle(config: QemuVmConfig, lifecycle: Lifecycle, changes: Partial<QemuVmConfig> = {}): Promise<QemuVmConfig> {
  const next: QemuVmConfig = { ...config, ...changes, lifecycle, changedAt: new Date().toISOString() };
  await writeVmConfig(next);
  return next;
}
