import { TwinboxError, type VmRef } from '../../plugin-api/index.js';
import { openConfStore, type OpenedStore } from '../settings/conf-store.js';

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

  constructor(dataDir: string) {
    this.opened = openConfStore<RegistryData>(dataDir, 'registry', { workspaces: {} });
  }

  get recovered(): OpenedStore<RegistryData>['recovered'] {
    return this.opened.recovered;
  }

  list(): WorkspaceEntry[] {
    return Object.values(this.opened.store.get('workspaces')).sort((a, b) => a.name.localeCompare(b.name));
  }

  find(name: string): WorkspaceEntry | undefined {
    return this.opened.store.get('workspaces')[name];
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
    const all = { ...this.opened.store.get('workspaces'), [entry.name]: entry };
    this.opened.store.set('workspaces', all);
  }

  update(name: string, change: (entry: WorkspaceEntry) => WorkspaceEntry): WorkspaceEntry {
    const updated = change(this.get(name));
    this.put(updated);
    return updated;
  }

  remove(name: string): void {
    const all = { ...this.opened.store.get('workspaces') };
    delete all[name];
    this.opened.store.set('workspaces', all);
  }
}
