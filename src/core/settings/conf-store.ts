import { existsSync, mkdirSync, renameSync } from 'node:fs';
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
