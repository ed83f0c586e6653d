import type { VmRef } from '../../plugin-api/index.js';

export type SetupState = 'pending' | 'running' | 'ready' | 'failed';

/** One installed workspace, as the registry keeps it. */
export interface WorkspaceEntry {
  name: string;
  version: string;
  description: string;
  installedAt: string;
  /** The installed package: manifest, base image, scripts. */
  storeDir: string;
  /** Path of the base image inside storeDir. */
  imagePath: string;
  /** Chosen at first-time setup. */
  hypervisor?: string;
  vm?: VmRef;
  setup: {
    state: SetupState;
    /** 0 when ready, else the failing event code. */
    code?: number;
    step?: string;
    updatedAt?: string;
  };
  /** During an upgrade: the version still in use until the new one has set up. */
  replacing?: { version: string; storeDir: string };
  /**
   * In a user's registry: `system` marks this user's own state (VM, setup) of a machine-wide
   * workspace, whose package lives in the system store. Absent: the user's own workspace.
   */
  scope?: 'system';
  /** Set when an uninstall began: if it was interrupted, the next uninstall finishes it. */
  uninstalling?: string;
}
