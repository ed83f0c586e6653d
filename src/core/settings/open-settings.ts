import { join } from 'node:path';
import { EventLog } from '../events/event-log.js';
import type { TwinboxPaths } from '../paths.js';
import { loadMachinePolicy } from '../policy/load-machine-policy.js';
import { policyDirOf } from '../policy/policy-dir.js';
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
  const { policy, notices } = loadMachinePolicy({ dir: policyDirOf(env), cacheFile: join(paths.dataDir, LAST_GOOD_POLICY_FILE) });
  const settings = new Settings(paths.configDir, { policy });
  // The level itself may be refused by a broken policy; its problem must still be logged.
  const level = settings.describe('log.level').value ?? 'info';
  const events = new EventLog(join(paths.dataDir, 'events.jsonl'), level);
  if (settings.recovered) {
    events.write('warn', 'settings', `settings file was unreadable and was kept aside as ${settings.recovered.backupPath}`, {
      problem: settings.recovered.problem,
    });
  }
  for (const notice of notices) {
    if (notice.code === undefined) events.write(notice.level, 'policy', notice.message, notice.fields);
    else events.event(notice.level, notice.code, notice.message, notice.fields);
  }
  return { settings, events };
}
