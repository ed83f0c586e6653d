import { createHash } from 'node:crypto';
import { isSettingKey, type SettingKey } from '../settings/keys.js';
import { checkSetting } from '../settings/validate-setting.js';
import { JsonLimitError, MAX_JSON_DEPTH, parseBoundedJson } from './bounded-json.js';
import { FileShapeError, readRegularFileSync } from './read-regular-file.js';

export type PolicyValues = Partial<Record<SettingKey, unknown>>;

export type PolicyFileResult =
  | { status: 'good'; file: string; sha256: string; values: PolicyValues; unknownKeys: string[] }
  | {
      status: 'malformed';
      file: string;
      /** Identifies this broken content, so the same problem is reported once. */
      fingerprint: string;
      problem: string;
      /** The keys the file tried to set, when that much could be read. */
      keys: SettingKey[] | 'all';
    };

/** Policy files are small flat objects; anything this big is a mistake, not a policy. */
export const MAX_POLICY_BYTES = 1024 * 1024;
/** No setting value nests deeper than a few levels (access.workspaces is the deepest, at 3). */
export const MAX_POLICY_DEPTH = MAX_JSON_DEPTH;

export interface CheckedValues {
  values: PolicyValues;
  unknownKeys: string[];
  problems: string[];
  keys: SettingKey[];
}

/** Keys starting with `$` ($schema, $comment) are for editors and people, not settings. */
export function checkPolicyValues(object: Record<string, unknown>): CheckedValues {
  const checked: CheckedValues = { values: {}, unknownKeys: [], problems: [], keys: [] };
  for (const [key, value] of Object.entries(object)) {
    if (key.startsWith('$')) continue;
    if (!isSettingKey(key)) {
      checked.unknownKeys.push(key);
      continue;
    }
    checked.keys.push(key);
    const result = checkSetting(key, value);
    if (result.ok) checked.values[key] = result.value;
    else checked.problems.push(result.problem);
  }
  return checked;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks one policy file: a flat JSON object of setting keys. */
export function readPolicyFile(file: string): PolicyFileResult {
  let content: Buffer;
  try {
    content = readRegularFileSync(file, MAX_POLICY_BYTES);
  } catch (error) {
    if (!(error instanceof FileShapeError)) throw error;
    return { status: 'malformed', file, fingerprint: error.fingerprint, problem: error.problem, keys: 'all' };
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const malformed = (problem: string, keys: SettingKey[] | 'all' = 'all') => ({ status: 'malformed' as const, file, fingerprint: sha256, problem, keys });
  let parsed: unknown;
  try {
    parsed = parseBoundedJson(content.toString('utf8'), { maxDepth: MAX_POLICY_DEPTH });
  } catch (error) {
    if (error instanceof JsonLimitError) return malformed(error.message);
    return malformed(`not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isPlainObject(parsed)) return malformed(`not a JSON object of settings (found ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed})`);
  const checked = checkPolicyValues(parsed);
  if (checked.problems.length > 0) return malformed(checked.problems.join('; '), checked.keys);
  return { status: 'good', file, sha256, values: checked.values, unknownKeys: checked.unknownKeys };
}
