import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { acquireFileLock, TwinboxError } from '../../plugin-api/index.js';
import { confOptions, isSchemaViolation, openConfStore, type ConfStoreOptions, type OpenedStore } from './conf-store.js';
import { SETTING_KEY_NAMES } from './keys.js';
import { SETTINGS_AJV_OPTIONS, SETTINGS_SCHEMA } from './settings-schema.js';

type StoredSettings = Record<string, unknown>;

const CONFIG_NAME = 'settings';

const checkedOptions: ConfStoreOptions<StoredSettings> = { schema: SETTINGS_SCHEMA as ConfStoreOptions<StoredSettings>['schema'], ajvOptions: SETTINGS_AJV_OPTIONS };

/**
 * The user's settings file (`<config>/settings.json`) through conf: atomic writes, owner-only,
 * every read and write checked against the schema the key table declares (settings-schema.ts).
 * It holds only what the user set, so a missing key means "not set by the user": the defaults
 * are declared to conf in the schema (for its reset and clear), never as conf's `defaults`,
 * which it writes into the file (as the first twinbox did, which a test keeps readable). Nor
 * does this file get conf migrations: conf keeps their version in the file (`__internal__`),
 * which must hold the user's keys alone, and its format has not changed since the first
 * release. The workspace registry, twinbox's own file, has them (registry.ts, REGISTRY_FORMAT).
 *
 * conf reads the file again on every access, so another process's change is seen by the next
 * read. No cache of our own over it: `status --json` of 100 workspaces reads settings.json 104
 * times, and took 214, 197 and 186 ms of CPU without the cache that was here against 201, 204
 * and 183 ms with it (three runs of 15, side by side): no difference beyond the noise. A
 * dashboard poll of 20 workspaces: 2.6 ms of CPU either way with the file, 3.1 against 2.5 ms
 * without it (each read of a missing file fails), every 2 to 5 s.
 */
export class UserSettingsFile {
  readonly recovered?: OpenedStore<StoredSettings>['recovered'];
  readonly path: string;
  /** conf with the schema; absent when the file held a value it refuses from the start. */
  private readonly checked?: Conf<StoredSettings>;
  /** The same file without the schema, opened once one of its values breaks it (see `store`). */
  private unchecked?: Conf<StoredSettings>;
  private readonly lockFile: string;

  constructor(private readonly configDir: string) {
    this.lockFile = join(configDir, 'settings.lock');
    try {
      const opened = openConfStore<StoredSettings>(configDir, CONFIG_NAME, checkedOptions);
      this.checked = opened.store;
      this.recovered = opened.recovered;
    } catch (error) {
      if (!isSchemaViolation(error)) throw unwritable(configDir, error);
      this.unchecked = this.openUnchecked();
    }
    this.path = (this.checked ?? this.unchecked)!.path;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.values(), key);
  }

  /** The stored value, undefined when the user did not set it; a fresh copy on each read. */
  read(key: string): unknown {
    return this.values()[key];
  }

  /** Everything the file holds, read once. */
  values(): StoredSettings {
    return this.store((conf) => conf.store);
  }

  keys(): string[] {
    return Object.keys(this.values());
  }

  write(key: string, value: unknown): void {
    this.locked(`set of ${key}`, () => this.writable().set(key, value));
  }

  remove(key: string): void {
    this.locked(`unset of ${key}`, () => this.writable().delete(key));
  }

  /**
   * Calls `listener` (once for a change of any number of settings) when another process or an
   * editor changes the file, through conf's watch (on Linux conf polls the file, seeing a change
   * within about 6 s). Returns the function that stops watching.
   */
  onDidChange(listener: () => void): () => void {
    // conf's watch creates a missing file; doing it here first, under the lock, cannot replace a file another process is writing.
    if (!existsSync(this.path)) {
      this.locked('creation of the file to watch', () => {
        if (!existsSync(this.path)) this.writable().store = {};
      });
    }
    // A watcher of its own, which reads a file that is damaged or that the schema refuses as
    // empty instead of throwing in conf's file watcher (the change is still told: the next read
    // of the settings reports the damage). Per key, so only schema-checked values are compared.
    const watcher = new Conf<StoredSettings>({ ...confOptions(this.configDir, CONFIG_NAME, checkedOptions), clearInvalidConfig: true, watch: true });
    let told = false;
    const tell = () => {
      if (told) return;
      told = true;
      queueMicrotask(() => {
        told = false;
        listener();
      });
    };
    setMaxListeners(SETTING_KEY_NAMES.length + 1, watcher.events);
    const unsubscribes = SETTING_KEY_NAMES.map((key) => watcher.onDidChange(key, tell));
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      watcher._closeWatcher();
    };
  }

  /**
   * Runs `use` on the store with the schema. A file edited by hand to hold a value the schema
   * refuses makes conf refuse the whole file; twinbox refuses only that key (the settings layer
   * names it, and a bad security.* value must not fall back to a weaker default), so such a
   * file is read without the schema.
   */
  private store<T>(use: (conf: Conf<StoredSettings>) => T): T {
    if (this.checked) {
      try {
        return use(this.checked);
      } catch (error) {
        if (!isSchemaViolation(error)) throw error;
      }
    }
    return use((this.unchecked ??= this.openUnchecked()));
  }

  /**
   * The store a write goes through: the one with the schema while the file passes it, so a value
   * it refuses is never written (the key table has refused it first, with twinbox's message).
   */
  private writable(): Conf<StoredSettings> {
    return this.store((conf) => {
      void conf.store;
      return conf;
    });
  }

  /**
   * conf writes a whole new file for each change of one key: two processes setting two keys at
   * once lost one of them (two writers setting a key 300 times each: the last value of one was
   * missing in 2 of 3 runs), so each read-modify-write holds a short lock of the file.
   */
  private locked(what: string, body: () => void): void {
    const lock = acquireFileLock(this.lockFile, what, { what: 'the settings file', waitMs: 10_000 });
    try {
      body();
    } finally {
      lock.release();
    }
  }

  private openUnchecked(): Conf<StoredSettings> {
    try {
      return openConfStore<StoredSettings>(this.configDir, CONFIG_NAME).store;
    } catch (error) {
      throw unwritable(this.configDir, error);
    }
  }
}

function unwritable(configDir: string, error: unknown): TwinboxError {
  return new TwinboxError('settings-unwritable', `cannot open settings in ${configDir}: ${(error as Error).message}`, {
    hint: 'make the folder writable, or point TWINBOX_HOME at a writable folder',
    cause: error,
  });
}
