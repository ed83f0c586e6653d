import type { WorkspaceManifest } from '../package/manifest-schema.js';
import { loadManifest } from '../workspace/load-manifest.js';
import { SETTING_KEY_NAMES, SETTING_KEYS } from './keys.js';
import { readPackageLayer } from './read-package-layer.js';
import type { Settings } from './settings.js';

/**
 * A workspace's manifest with every setting a package may choose replaced by its effective
 * value (default < package < user < machine policy): what setup and the lifecycle act on, so
 * an administrator's policy governs them whatever the package says.
 */
export async function effectiveManifest(settings: Settings, workspace: string, storeDir: string): Promise<WorkspaceManifest> {
  const manifest = structuredClone(await loadManifest(storeDir, workspace));
  const layered = settings.forPackage(await readPackageLayer(workspace, storeDir));
  for (const key of SETTING_KEY_NAMES) {
    const path = SETTING_KEYS[key].packagePath;
    if (!path) continue;
    let target = manifest as unknown as Record<string, unknown>;
    for (const part of path.slice(0, -1)) target = target[part] as Record<string, unknown>;
    target[path[path.length - 1]!] = layered.get(key);
  }
  return manifest;
}
