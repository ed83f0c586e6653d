import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadManifest, MANIFEST_FILE } from '../workspace/load-manifest.js';
import { packageLayerOf, type PackageLayer } from './package-layer.js';

/** The package layer of an installed workspace; a damaged manifest fails as it does everywhere else. */
export async function readPackageLayer(workspace: string, storeDir: string): Promise<PackageLayer> {
  await loadManifest(storeDir, workspace);
  const raw: unknown = JSON.parse(await readFile(join(storeDir, MANIFEST_FILE), 'utf8'));
  return packageLayerOf(workspace, raw);
}
