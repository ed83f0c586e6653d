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
    return this.opened.store.has(key);
  }

  read(key: string): unknown {
    return this.opened.store.get(key);
  }

  write(key: string, value: unknown): void {
    this.opened.store.set(key, value);
  }

  remove(key: string): void {
    this.opened.store.delete(key);
  }

  keys(): string[] {
    return Object.keys(this.opened.store.store);
  }
}
