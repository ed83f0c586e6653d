import { parseBoundedJson } from './bounded-json.js';
import { MAX_POLICY_BYTES, checkPolicyValues, isPlainObject, type PolicyValues } from './policy-file.js';
import { readRegularFileSync } from './read-regular-file.js';
import { writeJsonSync } from '../workspace/atomic-json.js';
import { crashPoint } from '../workspace/crash-points.js';

/** The last version of one policy file that was read without a problem. */
export interface LastGoodFile {
  sha256: string;
  /** When this content was first seen. */
  savedAt: string;
  values: PolicyValues;
}

export interface PolicyDirRecord {
  files: Record<string, LastGoodFile>;
  /** Broken file → fingerprint of the broken content already reported in the event log. */
  reported: Record<string, string>;
}

interface CacheShape {
  version: 1;
  dirs: Record<string, PolicyDirRecord>;
}

export function emptyRecord(): PolicyDirRecord {
  return { files: {}, reported: {} };
}

/** A cached file whose values no longer check out (edited, or from another version) is no fallback. */
function usable(entry: unknown): entry is LastGoodFile {
  if (!isPlainObject(entry) || typeof entry.sha256 !== 'string' || typeof entry.savedAt !== 'string' || !isPlainObject(entry.values)) return false;
  const checked = checkPolicyValues(entry.values);
  return checked.problems.length === 0 && checked.unknownKeys.length === 0;
}

function recordOf(value: unknown): PolicyDirRecord {
  const record = emptyRecord();
  if (!isPlainObject(value)) return record;
  if (isPlainObject(value.files)) {
    for (const [file, entry] of Object.entries(value.files)) if (usable(entry)) record.files[file] = entry;
  }
  if (isPlainObject(value.reported)) {
    for (const [file, fingerprint] of Object.entries(value.reported)) if (typeof fingerprint === 'string') record.reported[file] = fingerprint;
  }
  return record;
}

/**
 * `<data>/policy-last-good.json`: per policy folder, the last good content of each policy file
 * (values and content hash), so a file an administrator breaks keeps its last good settings in
 * force. Kept per file rather than merged so the other files' changes still take effect.
 */
export class LastGoodCache {
  private readonly data: CacheShape;

  constructor(private readonly file: string) {
    this.data = { version: 1, dirs: {} };
    try {
      // Bounded like the policy files it copies: it holds at most their values, once each.
      const parsed: unknown = parseBoundedJson(readRegularFileSync(file, 16 * MAX_POLICY_BYTES).toString('utf8'));
      if (isPlainObject(parsed) && isPlainObject(parsed.dirs)) {
        for (const [dir, record] of Object.entries(parsed.dirs)) this.data.dirs[dir] = recordOf(record);
      }
    } catch {
      // Missing or damaged: no fallback is known, so broken policy files fail closed.
    }
  }

  record(policyDir: string): PolicyDirRecord {
    return this.data.dirs[policyDir] ?? emptyRecord();
  }

  /** Writes only when something changed; a failed write keeps the previous cache, which is still safe. */
  update(policyDir: string, record: PolicyDirRecord): void {
    if (JSON.stringify(this.data.dirs[policyDir] ?? emptyRecord()) === JSON.stringify(record)) return;
    this.data.dirs[policyDir] = record;
    try {
      crashPoint('policy:last-good-changed');
      writeJsonSync(this.file, this.data);
      crashPoint('policy:last-good-written');
    } catch {
      // The next run tries again; meanwhile the policy read from the files is in force.
    }
  }
}
