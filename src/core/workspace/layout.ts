import { join } from 'node:path';
import type { TwinboxPaths } from '../paths.js';

/**
 * Where a workspace's files live. The store holds what an install unpacked (read-only base
 * image, manifest, scripts) per name and version; the workspace folder holds this user's own
 * state: the VM (overlay disk, saved state), the setup journal, the event log and the lock.
 */
export interface WorkspaceLayout {
  /** `<data>/store/<name>/<version>`: the installed package. */
  storeDir: string;
  /** `<data>/workspaces/<name>`: this user's state for the workspace. */
  workspaceDir: string;
  /** Handed to the hypervisor plugin as VmSpec.vmDir. */
  vmDir: string;
  journalFile: string;
  eventsFile: string;
  lockFile: string;
  statusFile: string;
}

export function storeRoot(paths: TwinboxPaths): string {
  return join(paths.dataDir, 'store');
}

export function workspacesRoot(paths: TwinboxPaths): string {
  return join(paths.dataDir, 'workspaces');
}

export function workspaceLayout(paths: TwinboxPaths, name: string, version: string): WorkspaceLayout {
  const workspaceDir = join(workspacesRoot(paths), name);
  return {
    storeDir: join(storeRoot(paths), name, version),
    workspaceDir,
    vmDir: join(workspaceDir, 'vm'),
    journalFile: join(workspaceDir, 'setup-journal.json'),
    eventsFile: join(workspaceDir, 'events.jsonl'),
    lockFile: join(workspaceDir, 'lock'),
    statusFile: join(workspaceDir, 'setup-status.json'),
  };
}
