import { join } from 'node:path';
import type { VmSpec } from 'twinbox/plugin-api';
import type { FakeFaults } from './faults.js';

/** The states a fake VM stores; `not-created` and `unknown` are never stored, only reported. */
export type StoredVmState =
  | 'stopped'
  | 'starting'
  | 'running'
  | 'paused'
  | 'suspending'
  | 'suspended'
  | 'stopping'
  | 'crashed';

export interface FakeSnapshotRecord {
  name: string;
  createdAt: string;
}

/** Everything about one fake VM, in `<vmDir>/fake-vm.json`, shared by the plugin and the guest process. */
export interface FakeVmRecord {
  format: 1;
  id: string;
  spec: VmSpec;
  state: StoredVmState;
  reason: string;
  /** The guest process while there is one. */
  pid?: number;
  /** Where the guest agent listens while the VM runs. */
  socketPath?: string;
  /** The console ports the guest offered at its last boot, and why none when there are none. */
  consoles?: { ports: number; unavailable?: string };
  faults: FakeFaults;
  /** Present while the VM is suspended: its memory was (notionally) saved to disk. */
  savedState?: { savedAt: string; memory: 'simulated' };
  /** Set by start() when booting from saved state, cleared by the guest once running. */
  restoring?: boolean;
  snapshots: FakeSnapshotRecord[];
  createdAt: string;
  updatedAt: string;
}

/** The files a fake VM owns inside its folder; remove() deletes exactly these. */
export const VM_FILES = {
  record: 'fake-vm.json',
  recordLock: 'fake-vm.json.lock',
  operationLock: 'fake-vm.op.lock',
  root: 'root',
  snapshots: 'snapshots',
  console: 'console.log',
} as const;

export function vmFile(vmDir: string, file: keyof typeof VM_FILES): string {
  return join(vmDir, VM_FILES[file]);
}
