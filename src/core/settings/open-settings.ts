import { statSync } from 'node:fs';
import { join } from 'node:path';
import { EventLog } from '../events/event-log.js';
import type { TwinboxPaths } from '../paths.js';
import { loadMachinePolicy, type LoadedPolicy } from '../policy/load-machine-policy.js';
import { listPolicyFiles, policyDirOf } from '../policy/policy-dir.js';
import type { PolicyNotice } from '../policy/policy-notice.js';
import { Settings } from './settings.js';

export interface OpenedSettings {
  settings: Settings;
  /** twinbox's own event log (`<data>/events.jsonl`). */
  events: EventLog;
}

export const LAST_GOOD_POLICY_FILE = 'policy-last-good.json';

/**
 * Settings with machine policy applied, and the event log their problems are written to. Never
 * throws for a broken policy: reading a key it may govern does (fail closed), so `twinbox policy`
 * can still show what is wrong.
 */
export function openSettings(paths: TwinboxPaths, env: NodeJS.ProcessEnv): OpenedSettings {
  const { policy, notices } = readMachinePolicy(paths, env);
  const settings = new Settings(paths.configDir, { policy });
  // The level itself may be refused by a broken policy; its problem must still be logged.
  const level = settings.describe('log.level').value ?? 'info';
  const events = new EventLog(join(paths.dataDir, 'events.jsonl'), level);
  if (settings.recovered) {
    events.write('warn', 'settings', `settings file was unreadable and was kept aside as ${settings.recovered.backupPath}`, {
      problem: settings.recovered.problem,
    });
  }
  writePolicyNotices(events, notices);
  return { settings, events };
}

/** The machine policy of `env`'s policy folder, its last good versions kept in the data folder. */
function readMachinePolicy(paths: TwinboxPaths, env: NodeJS.ProcessEnv): LoadedPolicy {
  return loadMachinePolicy({ dir: policyDirOf(env), cacheFile: join(paths.dataDir, LAST_GOOD_POLICY_FILE) });
}

/** Writes what reading the policy found (files applied, malformed ones) to the event log. */
export function writePolicyNotices(events: EventLog, notices: readonly PolicyNotice[]): void {
  for (const notice of notices) {
    if (notice.code === undefined) events.write(notice.level, 'policy', notice.message, notice.fields);
    else events.event(notice.level, notice.code, notice.message, notice.fields);
  }
}

/**
 * What the policy files are now (names, sizes, change times): a long-running process reads the
 * policy again only when this changes. A folder that cannot be listed or statted counts too.
 */
export function policyFingerprint(env: NodeJS.ProcessEnv): string {
  const listing = listPolicyFiles(policyDirOf(env));
  const parts = listing.files.map((file) => {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats ? `${file}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}` : `${file}:gone`;
  });
  if (listing.unlistable) parts.push(`${listing.unlistable.dir}:${listing.unlistable.problem}`);
  return parts.join('\n');
}

/**
 * Reads the machine policy again into `settings` when its files changed since `since` (a
 * fingerprint), logging what changed as a start does; returns the fingerprint now. Without
 * `since` (a long-running process's first look) it reads the policy once more unasked: a file
 * dropped between the process's start and its first look is then not missed.
 */
export function reloadPolicyIfChanged(paths: TwinboxPaths, env: NodeJS.ProcessEnv, settings: Settings, events: EventLog, since: string | undefined): { fingerprint: string; reloaded: boolean } {
  const fingerprint = policyFingerprint(env);
  if (fingerprint === since) return { fingerprint, reloaded: false };
  const { policy, notices } = readMachinePolicy(paths, env);
  settings.usePolicy(policy);
  writePolicyNotices(events, notices);
  return { fingerprint, reloaded: since !== undefined };
}
