import { basename, sep } from 'node:path';
import { EventCodes } from '../events/codes.js';
import type { SettingKey } from '../settings/keys.js';
import { LastGoodCache, emptyRecord, type LastGoodFile, type PolicyDirRecord } from './last-good-cache.js';
import { MachinePolicy, type PolicyFileReport, type PolicyRule } from './machine-policy.js';
import { readPolicyFile, type PolicyFileResult, type PolicyValues } from './policy-file.js';
import { listPolicyFiles } from './policy-dir.js';
import type { PolicyNotice } from './policy-notice.js';

export interface LoadPolicyOptions {
  /** The policy folder: holds policy.json and policy.d/. */
  dir: string;
  /** `<data>/policy-last-good.json`. */
  cacheFile: string;
  now?: () => number;
}

export interface LoadedPolicy {
  policy: MachinePolicy;
  /** Events to write: a changed policy applied, a malformed file, unknown keys. Each is reported once. */
  notices: PolicyNotice[];
}

class Merger {
  readonly rules = new Map<SettingKey, PolicyRule>();
  unresolvedAll?: { file: string; problem: string };

  enforce(file: string, values: PolicyValues, lastGood?: { savedAt: string; problem: string }): void {
    for (const [key, value] of Object.entries(values) as Array<[SettingKey, unknown]>) {
      this.rules.set(key, lastGood ? { kind: 'enforced', value, file, lastGood } : { kind: 'enforced', value, file });
    }
  }

  refuse(file: string, problem: string, keys: SettingKey[] | 'all'): void {
    if (keys === 'all') {
      // Whatever earlier files set, this one may override: none of it can be trusted.
      this.rules.clear();
      this.unresolvedAll = { file, problem };
      return;
    }
    for (const key of keys) this.rules.set(key, { kind: 'unresolved', file, problem });
  }
}

/** policy.json before policy.d/*.json, those in name order: the order files are read in. */
function byPolicyOrder(a: string, b: string): number {
  const rank = (file: string) => (basename(file) === 'policy.json' && !file.includes(`${sep}policy.d${sep}`) ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Reads the machine policy: policy.json, then policy.d/*.json in name order, later files
 * overriding earlier ones. A broken file never means "no policy": its last good content stays
 * in force, and without one the keys it may set are refused (fail closed).
 */
export function loadMachinePolicy(options: LoadPolicyOptions): LoadedPolicy {
  const now = options.now ?? Date.now;
  const cache = new LastGoodCache(options.cacheFile);
  const previous = cache.record(options.dir);
  const next: PolicyDirRecord = emptyRecord();
  const merger = new Merger();
  const reports: PolicyFileReport[] = [];
  const notices: PolicyNotice[] = [];

  const useLastGood = (file: string, last: LastGoodFile, problem: string) => {
    next.files[file] = last;
    merger.enforce(file, last.values, { savedAt: last.savedAt, problem });
    reports.push({ file, status: 'last-good', sha256: last.sha256, problem, lastGoodSince: last.savedAt });
  };

  const reportOnce = (file: string, fingerprint: string, notice: PolicyNotice) => {
    next.reported[file] = fingerprint;
    if (previous.reported[file] !== fingerprint) notices.push(notice);
  };

  const malformed = (result: Extract<PolicyFileResult, { status: 'malformed' }>) => {
    const last = previous.files[result.file];
    let consequence: string;
    if (last) {
      useLastGood(result.file, last, result.problem);
      consequence = `its last good version (first seen ${last.savedAt}) stays in force`;
    } else {
      merger.refuse(result.file, result.problem, result.keys);
      reports.push({ file: result.file, status: 'refused', problem: result.problem });
      consequence = `no last good version is known, so ${result.keys === 'all' ? 'every setting it may set is' : `the settings it sets (${result.keys.join(', ')}) are`} refused until it is fixed`;
    }
    reportOnce(result.file, result.fingerprint, {
      level: 'error',
      code: EventCodes.policyMalformed,
      message: `policy file ${result.file} is malformed: ${result.problem}; ${consequence}`,
      fields: { file: result.file, problem: result.problem, fallback: last ? 'last-good' : 'refused' },
    });
  };

  const listing = listPolicyFiles(options.dir);
  for (const file of listing.files) {
    const result = readPolicyFile(file);
    if (result.status === 'malformed') {
      malformed(result);
      continue;
    }
    const known = previous.files[file];
    const savedAt = known?.sha256 === result.sha256 ? known.savedAt : new Date(now()).toISOString();
    next.files[file] = { sha256: result.sha256, savedAt, values: result.values };
    merger.enforce(file, result.values);
    reports.push({ file, status: 'applied', sha256: result.sha256, ...(result.unknownKeys.length > 0 ? { unknownKeys: result.unknownKeys } : {}) });
    if (known?.sha256 === result.sha256) continue;
    const keys = Object.keys(result.values);
    notices.push({
      level: 'info',
      code: EventCodes.policyApplied,
      message: `policy file ${file} applied (${keys.length === 0 ? 'no settings' : keys.join(', ')})`,
      fields: { file, sha256: result.sha256, keys },
    });
    if (result.unknownKeys.length > 0) {
      notices.push({
        level: 'warn',
        message: `policy file ${file} names unknown settings, ignored: ${result.unknownKeys.join(', ')}`,
        fields: { file, unknownKeys: result.unknownKeys },
      });
    }
  }

  if (listing.unlistable) {
    const { dir, problem } = listing.unlistable;
    // The files are unknown, not gone: the last good ones stand in for them, in name order.
    const cached = Object.keys(previous.files)
      .filter((file) => file.startsWith(dir + sep))
      .sort(byPolicyOrder);
    if (cached.length > 0) {
      for (const file of cached) useLastGood(file, previous.files[file]!, `its folder ${problem}`);
      reportOnce(dir, problem, {
        level: 'error',
        code: EventCodes.policyMalformed,
        message: `policy folder ${dir} ${problem}; the last good versions of its files stay in force`,
        fields: { file: dir, problem, fallback: 'last-good' },
      });
    } else {
      malformed({ status: 'malformed', file: dir, fingerprint: problem, problem, keys: 'all' });
    }
  }

  cache.update(options.dir, next);
  return { policy: new MachinePolicy(options.dir, reports, merger.rules, merger.unresolvedAll), notices };
}
