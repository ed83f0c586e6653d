import { TwinboxError } from '../../plugin-api/index.js';
import { openConfStore, type OpenedStore } from './conf-store.js';

/** The user's settings file (`<config>/settings.json`), written through conf. */
export interface UserSettings extends Record<string, unknown> {
  /** Extra folders holding plugins (a plugin folder, or a folder of plugin folders). */
  'plugins.paths': string[];
  'log.level': 'error' | 'warn' | 'info' | 'debug';
}

export const SETTINGS_DEFAULTS: UserSettings = {
  'plugins.paths': [],
  'log.level': 'info',
};

export class Settings {
  readonly recovered?: OpenedStore<UserSettings>['recovered'];
  private readonly opened: OpenedStore<UserSettings>;

  constructor(configDir: string) {
    try {
      this.opened = openConfStore<UserSettings>(configDir, 'settings', SETTINGS_DEFAULTS);
    } catch (error) {
      throw new TwinboxError('settings-unwritable', `cannot open settings in ${configDir}: ${(error as Error).message}`, {
        hint: 'make the folder writable, or point TWINBOX_HOME at a writable folder',
        cause: error,
      });
    }
    this.recovered = this.opened.recovered;
  }

  get<K extends keyof UserSettings>(key: K): UserSettings[K] {
    return this.opened.store.get(key);
  }

  set<K extends keyof UserSettings>(key: K, value: UserSettings[K]): void {
    this.opened.store.set(key, value);
  }

  get path(): string {
    return this.opened.store.path;
  }
}
