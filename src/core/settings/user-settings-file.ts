import { TwinboxError } from '../../plugin-api/index.js';
import { openConfStore, StoreSnapshot, type OpenedStore } from './conf-store.js';

type StoredSettings = Record<string, unknown>;

/**
 * The user's settings file (`<config>/settings.json`) through conf: atomic writes, owner-only.
 * It holds only what the user set, so a missing key means "not set by the user".
 */
export class UserSettingsFile {
  readonly recovered?: OpenedStore<StoredSettings>['recovered'];
  private readonly opened: OpenedStore<StoredSettings>;
  /** The file's contents as last read: a dashboard poll reads settings for each workspace. */
  private readonly snapshot: StoreSnapshot<StoredSettings>;

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
    this.snapshot = new StoreSnapshot(this.opened.store);
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
    this.snapshot.invalidate();
    this.opened.store.set(key, value);
  }

  remove(key: string): void {
    this.snapshot.invalidate();
    this.opened.store.delete(key);
  }

  keys(): string[] {
    return Object.keys(this.stored());
  }

  private stored(): StoredSettings {
    return this.snapshot.read();
  }
}
