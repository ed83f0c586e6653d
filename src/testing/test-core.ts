import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore, type Core } from '../core/open-core.js';
import { resolvePaths } from '../core/paths.js';
import { Settings } from '../core/settings/settings.js';

export interface TestCore extends Core {
  /** The TWINBOX_HOME of this core: all its state and settings. */
  home: string;
  /** Removes the home folder. Remove your VMs first. */
  cleanup(): Promise<void>;
}

export interface TestCoreOptions {
  /** Plugin folders to load besides the built-in ones (your plugin under test). */
  pluginDirs?: string[];
  /** Use this folder as TWINBOX_HOME instead of a fresh temporary one. */
  home?: string;
}

/**
 * A twinbox core in a throw-away TWINBOX_HOME, loading plugins exactly as the CLI does
 * (manifest, apiVersion check, tsyringe child container, register()).
 */
export async function openTestCore(options: TestCoreOptions = {}): Promise<TestCore> {
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'twinbox-test-')));
  const env = { ...process.env, TWINBOX_HOME: home };
  if (options.pluginDirs?.length) new Settings(resolvePaths(env).configDir).set('plugins.paths', options.pluginDirs);
  // The core's services are built as they are first read: added to, not copied.
  return Object.assign(openCore({ env }), {
    home,
    cleanup: async () => {
      await rm(home, { recursive: true, force: true });
      await rm(resolvePaths(env).runtimeDir, { recursive: true, force: true });
    },
  });
}
