import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Conf, { type Options } from 'conf';
import { compareVersions, parseSemver } from '../../plugin-api/index.js';

export interface OpenedStore<T extends Record<string, unknown>> {
  store: Conf<T>;
  /** Set when the file was unreadable and was kept aside: where it went and why. */
  recovered?: { backupPath: string; problem: string };
}

export interface ConfStoreOptions<T extends Record<string, unknown>> {
  /** Written into the file when it lacks them (the registry's empty table). */
  defaults?: T;
  /** The file's JSON Schema; conf checks every read and write against it. */
  schema?: Options<T>['schema'];
  ajvOptions?: Options<T>['ajvOptions'];
  /** 0600 unless others must read it (the system registry is 0664). */
  fileMode?: number;
  now?: () => number;
  /**
   * The file's format version and conf migrations to it (conf runs each step newer than the
   * version it recorded in `__internal__.migrations.version`, then records `formatVersion`).
   * A format version, not twinbox's: the file's shape changes far more rarely than releases.
   */
  migrations?: { formatVersion: string; steps: NonNullable<Options<T>['migrations']> };
}

/** The conf options of every store of twinbox's: flat keys (`log.level` is one key), owner-only. */
export function confOptions<T extends Record<string, unknown>>(dir: string, configName: string, options: ConfStoreOptions<T>): Options<T> {
  return {
    cwd: dir,
    configName,
    projectName: 'twinbox',
    configFileMode: options.fileMode ?? 0o600,
    clearInvalidConfig: false,
    // The keys are dotted names (`log.level`), stored as they are: settings.json has been flat from the start.
    accessPropertiesByDotNotation: false,
    ...(options.defaults ? { defaults: options.defaults } : {}),
    ...(options.schema ? { schema: options.schema, ajvOptions: options.ajvOptions } : {}),
    ...(options.migrations ? { projectVersion: options.migrations.formatVersion, migrations: options.migrations.steps } : {}),
  };
}

/** Where conf keeps the format version a file was last migrated to. */
const MIGRATION_RECORD = '__internal__';

/**
 * Whether the store's file is older than `formatVersion` (or missing), so that opening it with
 * its migrations writes it. Read without conf (a small file, parsed once more): a reader that
 * finds nothing to migrate opens the store without taking its lock, and conf writes nothing.
 * A file that does not parse is not this function's to judge: it answers true, and the open
 * that follows finds it damaged.
 */
export function needsMigration(dir: string, configName: string, formatVersion: string): boolean {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, `${configName}.json`), 'utf8'));
  } catch {
    return true;
  }
  const recorded = (raw as { [MIGRATION_RECORD]?: { migrations?: { version?: unknown } } } | null)?.[MIGRATION_RECORD]?.migrations?.version;
  return typeof recorded !== 'string' || parseSemver(recorded, { loose: true }) === undefined || compareVersions(recorded, formatVersion) < 0;
}

/** Errors from writing the file while it migrates: the file is sound, only this process cannot write it. */
export function isWriteRefusal(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT'].includes(code ?? '') || (error instanceof Error && error.message.startsWith('Something went wrong during the migration'));
}

/** conf refuses a file (or a write) its schema does not accept with this, and nothing else. */
export function isSchemaViolation(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Config schema violation:');
}

/**
 * Opens a conf store. A corrupted file is never silently reset (conf's clearInvalidConfig
 * would lose it) and never crashes twinbox: it is renamed aside as a backup, reported, and a
 * fresh store is opened. A file that is JSON but that the schema refuses is not damaged: conf's
 * error is thrown for the caller to decide (the settings layer refuses only its bad keys).
 */
export function openConfStore<T extends Record<string, unknown>>(dir: string, configName: string, options: ConfStoreOptions<T> = {}): OpenedStore<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const open = () => new Conf<T>(confOptions(dir, configName, options));
  try {
    return { store: open() };
  } catch (error) {
    const file = join(dir, `${configName}.json`);
    if (!existsSync(file) || isSchemaViolation(error)) throw error;
    // A migration this process could not write leaves a sound file: the caller opens it unmigrated.
    if (options.migrations && isWriteRefusal(error)) throw error;
    const stamp = new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
    const backupPath = `${file}.corrupt-${stamp}`;
    renameSync(file, backupPath);
    const problem = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { store: open(), recovered: { backupPath, problem } };
  }
}

/**
 * A conf store's contents, read again only when its file changed: conf reads and parses the
 * whole file on every access, which made reading n workspaces' entries cost n whole-file
 * parses. The workspace registry keeps it: `open --explain` with 100 workspaces reads the
 * registry 203 times, 249 ms of CPU without this against 216 ms with it (settings.json, read
 * 104 times by `status --json` of 100 workspaces, showed no difference and goes without). Another process's change is seen at once: conf writes a new file and renames it over
 * the old (a new inode); an edit in place changes the modification time or the size.
 */
export class StoreSnapshot<T extends Record<string, unknown>> {
  private snapshot?: { stamp: string; values: T };

  constructor(private readonly store: Conf<T>) {}

  read(): T {
    const stat = statSync(this.store.path, { bigint: true, throwIfNoEntry: false });
    const stamp = stat ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : 'missing';
    if (this.snapshot?.stamp !== stamp) this.snapshot = { stamp, values: this.store.store };
    return this.snapshot.values;
  }

  /** This process wrote the file: the next read reads it. */
  invalidate(): void {
    this.snapshot = undefined;
  }
}
