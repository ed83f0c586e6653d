import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { acquireFileLock, TwinboxError } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import { EventLog } from '../events/event-log.js';
import { isWriteRefusal, needsMigration, openConfStore, StoreSnapshot, type OpenedStore } from '../settings/conf-store.js';
import { byName } from './by-name.js';
import { crashPoint } from './crash-points.js';
import { entriesOnDisk, entryRecordPath, removeEntryRecord, writeEntryRecord, type RebuiltEntry } from './registry-record.js';
import type { WorkspaceEntry } from './workspace-entry.js';


export type { SetupState, WorkspaceEntry } from './workspace-entry.js';

interface RegistryData extends Record<string, unknown> {
  workspaces: Record<string, WorkspaceEntry>;
}

/** What a rebuild of a missing or damaged registry found on disk. */
export interface RegistryRebuild {
  /** Why: the file was missing, or damaged (and kept aside as `backupPath`). */
  reason: 'missing' | 'damaged' | 'emptied';
  backupPath?: string;
  problem?: string;
  entries: RebuiltEntry[];
  /** The one line said on stderr. */
  line: string;
}

/**
 * The registry file's format, migrated by conf: 1 is the registry alone (before each
 * workspace kept its own copy of its entry); 2 has every entry's copy beside its workspace,
 * which the migration writes for registries of format 1.
 */
export const REGISTRY_FORMAT = '2.0.0';

/** Where the one line about a rebuild goes: stderr, unless a test or the UI says otherwise. */
export const registryNotices = {
  write: (line: string): void => {
    process.stderr.write(`${line}\n`);
  },
};

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
  private readonly fileMode: number;
  /** Set when this registry was missing or damaged and was rebuilt from the workspaces on disk. */
  readonly rebuilt?: RegistryRebuild;

  constructor(
    private readonly dataDir: string,
    options: { shared?: boolean } = {},
  ) {
    this.fileMode = options.shared ? 0o664 : 0o600;
    const existed = existsSync(join(dataDir, 'registry.json'));
    this.lockFile = join(dataDir, 'registry.lock');
    this.opened = this.open();
    this.snapshot = new StoreSnapshot(this.opened.store);
    const known = this.entries();
    // A registry with entries is trusted as is; an empty one (missing, damaged, or emptied by a
    // process that found it damaged a moment before this one) is checked against the disk.
    if (this.opened.recovered || !existed || Object.keys(known).length === 0) {
      this.rebuilt = this.rebuild(this.opened.recovered ? 'damaged' : existed ? 'emptied' : 'missing');
    }
  }

  /**
   * Opens the file through conf with its migrations. A file already of REGISTRY_FORMAT opens
   * with no lock and no write (what almost every command meets); an older one is migrated under
   * the registry lock, so no other process's change is overwritten by the migration's write. A
   * process that may not write (a user reading the machine-wide registry, a read-only home)
   * opens it unmigrated: the next writer migrates it.
   */
  private open(): OpenedStore<RegistryData> {
    const options = { defaults: { workspaces: {} }, fileMode: this.fileMode };
    const migrations = {
      formatVersion: REGISTRY_FORMAT,
      steps: {
        '2.0.0': (store: { get(key: 'workspaces'): Record<string, WorkspaceEntry> | undefined }) => {
          for (const entry of Object.values(store.get('workspaces') ?? {})) {
            if (!existsSync(entryRecordPath(this.dataDir, entry.name))) writeEntryRecord(this.dataDir, entry, this.fileMode);
          }
        },
      },
    };
    if (!needsMigration(this.dataDir, 'registry', REGISTRY_FORMAT)) return openConfStore<RegistryData>(this.dataDir, 'registry', { ...options, migrations });
    let lock: { release(): void } | undefined;
    try {
      mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
      lock = acquireFileLock(this.lockFile, 'migration', { what: 'the workspace registry', waitMs: 10_000 });
    } catch (error) {
      if (!isWriteRefusal(error)) throw error;
    }
    try {
      if (lock) return openConfStore<RegistryData>(this.dataDir, 'registry', { ...options, migrations });
    } catch (error) {
      if (!isWriteRefusal(error)) throw error;
    } finally {
      lock?.release();
    }
    return openConfStore<RegistryData>(this.dataDir, 'registry', options);
  }

  /**
   * The registry is a cache of what is on disk: each workspace's own copy of its entry (or,
   * for an older install, its package in the store) puts it back. Said in one line on stderr
   * and in the event logs (7200); the damaged file stays where conf-store put it aside.
   */
  private rebuild(reason: RegistryRebuild['reason']): RegistryRebuild | undefined {
    const found = entriesOnDisk(this.dataDir, new Set(Object.keys(this.entries())));
    if (found.length === 0) return undefined;
    const added = this.mutate('rebuild', (all) => {
      const fresh = found.filter(({ entry }) => !all[entry.name]);
      for (const { entry } of fresh) all[entry.name] = entry;
      return fresh;
    });
    if (added.length === 0) return undefined;
    const recovered = this.opened.recovered;
    const what =
      reason === 'damaged' ? `was damaged (${recovered!.problem}) and was kept aside as ${recovered!.backupPath}` : reason === 'missing' ? 'was missing' : 'was empty';
    const names = added.map(({ entry, from }) => (from === 'store' ? `${entry.name} (from its package only: its VM, if any, is not known)` : entry.name)).join(', ');
    const line = `twinbox: the workspace registry ${join(this.dataDir, 'registry.json')} ${what}; rebuilt it from the workspace folders: ${names}`;
    const rebuilt: RegistryRebuild = { reason, ...(recovered ? { backupPath: recovered.backupPath, problem: recovered.problem } : {}), entries: added, line };
    registryNotices.write(line);
    const fields = (entry?: RebuiltEntry) => ({
      reason,
      ...(recovered ? { backupPath: recovered.backupPath, problem: recovered.problem } : {}),
      ...(entry ? { workspace: entry.entry.name, from: entry.from, ...(entry.entry.vm ? { vm: entry.entry.vm.id, hypervisor: entry.entry.hypervisor } : {}) } : { workspaces: added.map(({ entry }) => entry.name) }),
    });
    new EventLog(join(this.dataDir, 'events.jsonl')).event('warn', EventCodes.registryRebuilt, line.replace(/^twinbox: /, ''), fields());
    for (const entry of added) {
      const dir = join(this.dataDir, 'workspaces', entry.entry.name);
      if (!existsSync(dir)) continue;
      new EventLog(join(dir, 'events.jsonl')).event('warn', EventCodes.registryRebuilt, `the workspace registry ${what}; this workspace's entry was rebuilt from ${entry.from === 'record' ? 'its own copy' : 'its installed package'}`, fields(entry));
    }
    return rebuilt;
  }

  /**
   * Every write rewrites the whole file: two processes changing two different workspaces at
   * once would lose one change. A short lock around each read-modify-write keeps both. It is
   * held only for a synchronous update, so a waiter sleeps in short blocking steps.
   */
  private mutate<T>(what: string, change: (all: Record<string, WorkspaceEntry>) => T, touched?: string): T {
    const lock = acquireFileLock(this.lockFile, what, { what: 'the workspace registry', waitMs: 10_000 });
    try {
      const all = { ...this.opened.store.get('workspaces') };
      const result = change(all);
      this.opened.store.set('workspaces', all);
      this.snapshot.invalidate();
      if (touched !== undefined) {
        crashPoint('registry:written');
        const entry = all[touched];
        if (entry) writeEntryRecord(this.dataDir, entry, this.fileMode);
        else removeEntryRecord(this.dataDir, touched);
        crashPoint('registry:record-written');
      }
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
    this.mutate(
      `write of ${entry.name}`,
      (all) => {
        all[entry.name] = entry;
      },
      entry.name,
    );
  }

  /** Reads the current entry and writes the changed one under the registry lock. */
  update(name: string, change: (entry: WorkspaceEntry) => WorkspaceEntry): WorkspaceEntry {
    return this.mutate(
      `update of ${name}`,
      (all) => {
        const current = all[name];
        if (!current) return this.get(name);
        const updated = change(current);
        all[name] = updated;
        return updated;
      },
      name,
    );
  }

  remove(name: string): void {
    this.mutate(
      `removal of ${name}`,
      (all) => {
        delete all[name];
      },
      name,
    );
  }
}
