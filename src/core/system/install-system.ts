import { existsSync, lstatSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../open-core.js';
import { installPackage, type InstallOptions, type InstallResult } from '../package/install/install-package.js';
import { adminCheckOf, systemPathsOf } from './system-context.js';
import { prepareSystemFolder, shareSystemFolder } from './system-folder.js';

/**
 * Installs a package machine-wide (`install --system`): the same verified, all-or-nothing
 * install, into the system folder, refused (exit 4) unless the caller is an admin. Whatever
 * happens, the folder is left group-owned and readable by every user.
 */
export async function installSystemPackage(core: Core, file: string, options: Omit<InstallOptions, 'systemPaths'>): Promise<InstallResult> {
  const check = adminCheckOf(core);
  const existed = existsSync(check.systemDir);
  await prepareSystemFolder(check, core.commandRunner, `run \`sudo twinbox install --system ${file}\``);
  try {
    return await installPackage(core, file, { ...options, systemPaths: systemPathsOf(core) });
  } catch (error) {
    if (!existed) removeEmptyFolders(check.systemDir);
    throw error;
  } finally {
    if (existsSync(check.systemDir)) shareSystemFolder(check.systemDir);
  }
}

/** A first install that failed leaves no system folder behind: only folders with nothing in them go. */
function removeEmptyFolders(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) removeEmptyFolders(path);
  }
  try {
    rmdirSync(dir);
  } catch {
    // Not empty: something was installed after all, and stays.
  }
}
