import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_POLICY_DIR = '/etc/twinbox';

/** The machine policy folder: /etc/twinbox, or TWINBOX_POLICY_DIR (tests, relocated installs). */
export function policyDirOf(env: NodeJS.ProcessEnv): string {
  return env.TWINBOX_POLICY_DIR || DEFAULT_POLICY_DIR;
}

export interface PolicyListing {
  /** policy.json first, then policy.d/*.json in name order: later files override earlier ones. */
  files: string[];
  /** policy.d exists but cannot be listed: its files are unknown, not absent. */
  unlistable?: { dir: string; problem: string };
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

/** A policy path that exists but is not a folder: a file where a folder must be fails closed. */
function notAFolder(path: string): string | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return ABSENT.has(errnoOf(error)) ? undefined : `cannot be listed (${errnoOf(error)})`;
  }
  return stats.isDirectory() ? undefined : 'is not a folder';
}

/**
 * Only "does not exist" means no policy. Anything else (a folder the user may not search, say)
 * is kept in the listing so that reading it fails and the policy fails closed instead of open.
 */
export function listPolicyFiles(dir: string): PolicyListing {
  const files: string[] = [];
  const shape = notAFolder(dir);
  if (shape) return { files, unlistable: { dir, problem: shape } };
  const main = join(dir, 'policy.json');
  try {
    statSync(main);
    files.push(main);
  } catch (error) {
    if (!ABSENT.has(errnoOf(error))) files.push(main);
  }
  const dropIns = join(dir, 'policy.d');
  const dropInsShape = notAFolder(dropIns);
  if (dropInsShape) return { files, unlistable: { dir: dropIns, problem: dropInsShape } };
  try {
    const names = readdirSync(dropIns)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    files.push(...names.map((name) => join(dropIns, name)));
  } catch (error) {
    // The folder was there a moment ago (checked above): gone now or not, its files are unknown.
    if (errnoOf(error) !== 'ENOENT') return { files, unlistable: { dir: dropIns, problem: `cannot be listed (${errnoOf(error)})` } };
  }
  return { files };
}
