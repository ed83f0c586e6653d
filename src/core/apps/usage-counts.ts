import { join } from 'node:path';
import { acquireFileLock, Tokens, type Clock } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import type { TwinboxPaths } from '../paths.js';
import { CoreTokens } from '../tokens.js';
import { readJson, writeJsonAtomic } from '../workspace/atomic-json.js';

/** How often this user launched one app, and when last. */
export interface AppUsage {
  count: number;
  lastUsedAt: string;
}

interface UsageFile {
  version: 1;
  /** By `workspace/app-id`. */
  apps: Record<string, AppUsage>;
}

export function usageKey(workspace: string, appId: string): string {
  return `${workspace}/${appId}`;
}

/** Per user, beside the registry: `<data>/app-usage.json` (0600). */
export function usageFile(core: Core): string {
  return join(core.container.resolve<TwinboxPaths>(CoreTokens.Paths).dataDir, 'app-usage.json');
}

function isUsageFile(value: unknown): value is UsageFile {
  return typeof value === 'object' && value !== null && (value as UsageFile).version === 1 && typeof (value as UsageFile).apps === 'object' && (value as UsageFile).apps !== null;
}

/** Launch counts by `workspace/app-id`; a missing or damaged file counts as no launches yet. */
export async function readUsageCounts(core: Core): Promise<Map<string, AppUsage>> {
  const stored = await readJson<unknown>(usageFile(core));
  const counts = new Map<string, AppUsage>();
  if (!isUsageFile(stored)) return counts;
  for (const [key, usage] of Object.entries(stored.apps)) {
    if (Number.isSafeInteger(usage?.count) && usage.count > 0) counts.set(key, { count: usage.count, lastUsedAt: String(usage.lastUsedAt ?? '') });
  }
  return counts;
}

/**
 * Counts one launch. Two menus of the same user may launch at once: the read-modify-write
 * runs under a short lock, so neither count is lost. The file is replaced atomically
 * (temporary file, fsync, rename), so a crash or a dropped connection mid-write leaves the
 * previous counts, never half a file.
 */
export function recordLaunch(core: Core, workspace: string, appId: string): Promise<AppUsage> {
  // One at a time in this process: the file lock would make a second caller here wait on itself.
  const counted = launchesCounted.then(() => countLaunch(core, workspace, appId));
  launchesCounted = counted.catch(() => undefined);
  return counted;
}

let launchesCounted: Promise<unknown> = Promise.resolve();

async function countLaunch(core: Core, workspace: string, appId: string): Promise<AppUsage> {
  const clock = core.container.resolve<Clock>(Tokens.Clock);
  const file = usageFile(core);
  const lock = acquireFileLock(`${file}.lock`, `count of a launch of ${appId}`, { what: 'the app usage record', waitMs: 10_000 });
  try {
    const counts = await readUsageCounts(core);
    const key = usageKey(workspace, appId);
    const usage: AppUsage = { count: (counts.get(key)?.count ?? 0) + 1, lastUsedAt: new Date(clock.now()).toISOString() };
    counts.set(key, usage);
    const stored: UsageFile = { version: 1, apps: Object.fromEntries(counts) };
    await writeJsonAtomic(file, stored);
    return usage;
  } finally {
    lock.release();
  }
}
