import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';

export interface OpenedStore<T extends Record<string, unknown>> {
  store: Conf<T>;
  /** Set when the file was unreadable and was kept aside: where it went and why. */
  recovered?: { backupPath: string; problem: string };
}

/**
 * Opens a conf store. A corrupted or schema-violating file is never silently reset (conf's
 * clearInvalidConfig would lose it) and never crashes twinbox: it is renamed aside as a
 * backup, reported, and a fresh store is opened.
 */
export function openConfStore<T extends Record<string, unknown>>(
  dir: string,
  configName: string,
  defaults: T,
  now: () => number = Date.now,
  /** 0600 unless others must read it (the system registry is 0664). */
  fileMode = 0o600,
): OpenedStore<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const open = () =>
    new Conf<T>({
      cwd: dir,
      configName,
      defaults,
      projectName: 'twinbox',
      configFileMode: fileMode,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
    });
  try {
    return { store: open() };
  } catch (error) {
    const file = join(dir, `${configName}.json`);
    if (!existsSync(file)) throw error;
    const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
    const backupPath = `${file}.corrupt-${stamp}`;
    renameSync(file, backupPath);
    const problem = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { store: open(), recovered: { backupPath, problem } };
  }
}

/**
 * A conf store's contents, read again only when its file changed: conf reads and parses the
 * whole file on every access, which made reading n workspaces' entries cost n whole-file
 * parses. Another process's change is seen at once: conf writes a new file and renames it over
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
