import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { installRoot } from '../install-root.js';

export type PluginSource = 'built-in' | 'settings' | 'npm';

export interface PluginCandidate {
  dir: string;
  source: PluginSource;
}

/** Compiled built-in plugins live in build/plugins/<name>/. */
export function builtInPluginsDir(): string {
  return join(installRoot(), 'build', 'plugins');
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}

/** A listed folder is a plugin itself (has package.json) or a folder of plugins. */
async function expandSettingsPath(dir: string): Promise<string[]> {
  if (existsSync(join(dir, 'package.json'))) return [dir];
  if (!existsSync(dir)) return [dir]; // reported as broken: the folder is missing
  return subfolders(dir);
}

/** node_modules folders that may hold `twinbox-plugin-*` packages beside this installation. */
function nodeModulesRoots(packageRoot: string): string[] {
  const roots = [join(packageRoot, 'node_modules')];
  // Installed as a dependency (…/node_modules/twinbox): siblings are in the parent folder.
  if (basename(dirname(packageRoot)) === 'node_modules') roots.push(dirname(packageRoot));
  return roots;
}

async function npmPlugins(packageRoot: string): Promise<string[]> {
  const found: string[] = [];
  for (const root of nodeModulesRoots(packageRoot)) {
    for (const dir of await subfolders(root)) {
      const name = basename(dir);
      if (name.startsWith('twinbox-plugin-')) found.push(dir);
      else if (name.startsWith('@')) {
        for (const scoped of await subfolders(dir)) {
          if (basename(scoped).startsWith('twinbox-plugin-')) found.push(scoped);
        }
      }
    }
  }
  return found;
}

export interface DiscoveryOptions {
  builtInDir?: string;
  settingsPaths?: readonly string[];
  packageRoot?: string;
}

/** Built-in plugins first, then folders from settings, then npm packages: the first of a name wins. */
export async function discoverPlugins(options: DiscoveryOptions = {}): Promise<PluginCandidate[]> {
  const builtIn = (await subfolders(options.builtInDir ?? builtInPluginsDir())).map((dir) => ({ dir, source: 'built-in' as const }));
  const fromSettings: PluginCandidate[] = [];
  for (const path of options.settingsPaths ?? []) {
    for (const dir of await expandSettingsPath(resolve(path))) fromSettings.push({ dir, source: 'settings' });
  }
  const fromNpm = (await npmPlugins(options.packageRoot ?? installRoot())).map((dir) => ({ dir, source: 'npm' as const }));
  return [...builtIn, ...fromSettings, ...fromNpm];
}
