import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function walk(root: string, relative = ''): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(join(root, relative)).sort()) {
    const path = join(relative, name);
    const info = lstatSync(join(root, path));
    const kind = info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
    lines.push(`${kind} ${(info.mode & 0o7777).toString(8)} ${info.isFile() ? info.size : ''} ${path}`);
    if (info.isDirectory()) lines.push(...walk(root, path));
  }
  return lines;
}

/** What an install may change: every entry of the store (path, type, mode, size) and the registry file's bytes. */
export interface InstallState {
  store: string[];
  registry: string | null;
}

export function installState(home: string): InstallState {
  const store = join(home, 'data', 'store');
  const registry = join(home, 'data', 'registry.json');
  return {
    store: existsSync(store) ? walk(store) : ['(no store folder)'],
    registry: existsSync(registry) ? readFileSync(registry, 'utf8') : null,
  };
}
