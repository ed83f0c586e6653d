import { statSync } from 'node:fs';
import { TwinboxError } from '../../plugin-api/index.js';
import { openConfStore, type OpenedStore } from './conf-store.js';

type StoredSettings = Record<string, unknown>;

/**
 * The user's settings file (`<config>/settings.json`) through conf: atomic writes, owner-only.
 * It holds only what the user set, so a missing key means "not set by the user".
 */
export class UserSettingsFile {
  readonly recovered?: OpenedStore<StoredSettings>['recovered'];
  private readonly opened: OpenedStore<StoredSettings>;
  /** The file's contents as last read, and the stat stamp of the file they were read from. */
  private snapshot?: { stamp: string; values: StoredSettings };

  constructor(configDir: string) {
    try {
      this.opened = openConfStore<StoredSettings>(configDir, 'settings', {});
    } catch (error) {
      throw new TwinboxError('settings-unwritable', `cannot open settings in ${configDir}: ${(error as Error).message}`, {
        hint: 'make the folder writable, or point TWINBOX_HOME at a writable folder',
        cause: error,
      });
    }
    this.recovered = this.opened.recovered;
  }

  get path(): string {
    return this.opened.store.path;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.stored(), key);
  }

  read(key: string): unknown {
    const value = this.stored()[key];
    // A caller changing a value it read must not change what the next caller reads.
    return typeof value === 'object' && value !== null ? structuredClone(value) : value;
  }

  write(key: string, value: unknown): void {
    this.snapshot = undefined;
    this.opened.store.set(key, value);
  }

  remove(key: string): void {
    this.snapshot = undefined;
    this.opened.store.delete(key);
  }

  keys(): string[] {
    return Object.keys(this.stored());
  }

  /**
   * The file's contents, read again only when the file changed: every setting read used to
   * read and parse the whole file (a dashboard poll reads settings for each workspace).
   * Another process's change is seen at once: conf writes a new file and renames it over the
   * old (a new inode); an edit in place changes the modification time or the size.
   */
  private stored(): StoredSettings {
    const stat = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    const stamp = stat ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : 'missing';
    if (this.snapshot?.stamp !== stamp) this.snapshot = { stamp, values: this.opened.store.store };
    return this.snapshot.values;
  }
}
