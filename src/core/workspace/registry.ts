import { join } from 'node:path';
import { TwinboxError, type VmRef } from '../../plugin-api/index.js';
import { openConfStore, StoreSnapshot, type OpenedStore } from '../settings/conf-store.js';
import { byName } from './by-name.js';
import { acquireShortLock } from './lock.js';


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
}

interface RegistryData extends Record<string, unknown> {
  workspaces: Record<string, WorkspaceEntry>;
}

/**
 * The workspace registry (`<data>/registry.json`, through conf: atomic writes, owner-only).
 * A corrupted file is kept aside and reported, never silently reset.
 */
export class WorkspaceRegistry {
  private readonly opened: OpenedStore<RegistryData>;
  private readonly lockFile: string;
  /** The entries as last read: `status` of n workspaces reads the registry n times over. */
  private readonly snapshot: StoreSnapshot<RegistryData>;

  /** `shared`: the system registry, which every user reads and the admin group writes. */
  constructor(dataDir: string, options: { shared?: boolean } = {}) {
    this.opened = openConfStore<RegistryData>(dataDir, 'registry', { workspaces: {} }, Date.now, options.shared ? 0o664 : 0o600);
    this.lockFile = join(dataDir, 'registry.lock');
    this.snapshot = new StoreSnapshot(this.opened.store);
  }

  /**
   * Every write rewrites the whole file: two processes changing two different workspaces at
   * once would lose one change. A short lock around each read-modify-write keeps both. It is
   * held only for a synchronous update, so a waiter sleeps in short blocking steps.
   */
  private mutate<T>(what: string, change: (all: Record<string, WorkspaceEntry>) => T): T {
    const lock = acquireShortLock(this.lockFile, 'registry', what);
    try {
      const all = { ...this.opened.store.get('workspaces') };
      const result = change(all);
      this.opened.store.set('workspaces', all);
      this.snapshot.invalidate();
      return result;
    } finally {
      lock.release();
    }
  }

  get recovered(): OpenedStore<RegistryData>['recovered'] {
    return this.opened.recovered;
  }

  /** Copies: a caller changing an entry it read changes nothing until it writes it. */
  list(): WorkspaceEntry[] {
    return Object.values(this.entries())
      .map((entry) => structuredClone(entry))
      .sort((a, b) => byName(a.name, b.name));
  }

  find(name: string): WorkspaceEntry | undefined {
    const entry = this.entries()[name];
    return entry && structuredClone(entry);
  }

  private entries(): Record<string, WorkspaceEntry> {
    return this.snapshot.read().workspaces ?? {};
  }

  get(name: string): WorkspaceEntry {
    const entry = this.find(name);
    if (!entry) {
      throw new TwinboxError('workspace-not-found', `no workspace named "${name}" is installed`, {
        hint: 'run `twinbox status` to list the installed workspaces',
        exit: 'usage',
      });
    }
    return entry;
  }

  /** Writes one entry; conf rewrites the whole file atomically. */
  put(entry: WorkspaceEntry): void {
    this.mutate(`write of ${entry.name}`, (all) => {
      all[entry.name] = entry;
    });
  }

  /** Reads the current entry and writes the changed one under the registry lock. */
  update(name: string, change: (entry: WorkspaceEntry) => WorkspaceEntry): WorkspaceEntry {
    return this.mutate(`update of ${name}`, (all) => {
      const current = all[name];
      if (!current) return this.get(name);
      const updated = change(current);
      all[name] = updated;
      return updated;
    });
  }

  remove(name: string): void {
    this.mutate(`removal of ${name}`, (all) => {
      delete all[name];
    });
  }
}
