import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TwinboxError } from '../../plugin-api/index.js';
import { byName } from '../workspace/by-name.js';
import type { WorkspaceEntry } from '../workspace/registry.js';

/**
 * The machine-wide workspaces, read straight from `<system>/registry.json`: every user reads
 * it, only admins write it (through WorkspaceRegistry with `shared`). No system folder or
 * registry yet means none are installed.
 */
export function readSystemWorkspaces(systemDir: string): WorkspaceEntry[] {
  const file = join(systemDir, 'registry.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new TwinboxError('system-registry-unreadable', `cannot read the machine-wide workspace registry ${file} (${code ?? 'error'})`, {
      hint: `an administrator can make it readable again: chmod 0664 ${file}`,
      cause: error,
    });
  }
  let workspaces: unknown;
  try {
    workspaces = (JSON.parse(text) as { workspaces?: unknown }).workspaces;
  } catch {
    workspaces = undefined;
  }
  if (!workspaces || typeof workspaces !== 'object' || Array.isArray(workspaces)) {
    throw new TwinboxError('system-registry-unreadable', `the machine-wide workspace registry ${file} is malformed`, {
      hint: 'an administrator can reinstall the machine-wide workspaces (twinbox install --system --overwrite FILE)',
    });
  }
  return Object.values(workspaces as Record<string, WorkspaceEntry>).sort((a, b) => byName(a.name, b.name));
}

export function findSystemWorkspace(systemDir: string, name: string): WorkspaceEntry | undefined {
  return readSystemWorkspaces(systemDir).find((entry) => entry.name === name);
}
