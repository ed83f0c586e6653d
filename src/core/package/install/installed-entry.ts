import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TwinboxPaths } from '../../paths.js';
import { WorkspaceRegistry, type WorkspaceEntry } from '../../workspace/registry.js';

/**
 * The registry entry of `name`, without creating the registry: conf writes its file when it
 * opens one, and a rejected install must leave the state folder exactly as it found it.
 * (conf keeps the registry as `<data>/registry.json`.)
 */
export function findInstalled(paths: TwinboxPaths, name: string): WorkspaceEntry | undefined {
  if (!existsSync(join(paths.dataDir, 'registry.json'))) return undefined;
  return new WorkspaceRegistry(paths.dataDir).find(name);
}
