import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Where twinbox keeps everything for one user (or one TWINBOX_HOME). */
export interface TwinboxPaths {
  /** Settings (conf). */
  configDir: string;
  /** Workspace registry, images, VM folders, event logs. */
  dataDir: string;
  /** Rebuildable caches. */
  cacheDir: string;
  /** Short folder for sockets and pid files; unix socket paths must stay under 108 bytes. */
  runtimeDir: string;
}

/** FNV-1a: a short stable tag; loading node:crypto for it cost more than all of this module. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function shortRuntimeDir(key: string, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_RUNTIME_DIR || tmpdir();
  const uid = typeof process.getuid === 'function' ? process.getuid() : userInfo().username;
  // A hash of the state folder keeps two TWINBOX_HOMEs apart while staying short.
  const tag = fnv1a32(key).toString(16).padStart(8, '0');
  return join(base, `twinbox-${uid}`, tag);
}

/**
 * TWINBOX_HOME relocates all state and settings (tests and scripts use it); otherwise the
 * per-user XDG locations.
 */
export function resolvePaths(env: NodeJS.ProcessEnv = process.env): TwinboxPaths {
  const home = env.TWINBOX_HOME;
  if (home) {
    return {
      configDir: join(home, 'config'),
      dataDir: join(home, 'data'),
      cacheDir: join(home, 'cache'),
      runtimeDir: shortRuntimeDir(home, env),
    };
  }
  const userHome = homedir();
  const dataDir = join(env.XDG_DATA_HOME || join(userHome, '.local', 'share'), 'twinbox');
  return {
    configDir: join(env.XDG_CONFIG_HOME || join(userHome, '.config'), 'twinbox'),
    dataDir,
    cacheDir: join(env.XDG_CACHE_HOME || join(userHome, '.cache'), 'twinbox'),
    runtimeDir: shortRuntimeDir(dataDir, env),
  };
}
