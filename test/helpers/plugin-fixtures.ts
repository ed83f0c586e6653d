import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_API_VERSION } from '../../src/plugin-api/index.js';

export interface FixturePlugin {
  name: string;
  kind?: string;
  apiVersion?: string;
  /** Source of index.js; default: a guest-agent plugin that registers correctly. */
  source?: string;
  /** Raw package.json text, replacing the generated one. */
  packageJson?: string;
  version?: string;
}

export function guestAgentSource(name: string): string {
  return `export function register(container) {
  container.register('twinbox.GuestAgent', { useFactory: () => ({
    kind: 'guest-agent', name: ${JSON.stringify(name)}, displayName: 'Test agent ${name}', channelName: 'test.0',
    connect: async () => { throw new Error('not for this test'); },
  }) });
}\n`;
}

/** Writes a plugin folder (package.json with a twinbox manifest, index.js) under `root`. */
export function writePlugin(root: string, plugin: FixturePlugin): string {
  const dir = join(root, plugin.name);
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: `twinbox-plugin-${plugin.name}`,
    version: plugin.version ?? '1.2.3',
    type: 'module',
    twinbox: { name: plugin.name, kind: plugin.kind ?? 'guest-agent', apiVersion: plugin.apiVersion ?? PLUGIN_API_VERSION, entry: './index.js' },
  };
  writeFileSync(join(dir, 'package.json'), plugin.packageJson ?? JSON.stringify(manifest));
  writeFileSync(join(dir, 'index.js'), plugin.source ?? guestAgentSource(plugin.name));
  return dir;
}
