import type { SettingKey, SettingValues } from './keys.js';

/** Where an effective value comes from; policy names its file. */
export type SettingSource = 'default' | 'package' | 'user' | `policy:${string}`;

/** One setting as it is in force, with its provenance: for UIs, `twinbox config` and `twinbox policy`. */
export interface EffectiveSetting<K extends SettingKey = SettingKey> {
  key: K;
  /** null when no value can be used: `problem` says why. */
  value: SettingValues[K] | null;
  source: SettingSource;
  /** Set by machine policy: `config set`/`unset` are refused. */
  locked: boolean;
  description: string;
  expected: string;
  /** Values of lower layers that this one overrides. */
  overridden: Array<{ source: SettingSource; value: unknown }>;
  /** The policy file is broken now and this is its last good content. */
  lastGood?: { since: string; problem: string };
  /** A broken policy file without a last good version, or a bad value in settings.json. */
  problem?: string;
}

/** Something wrong with a policy file or the settings file, for `twinbox policy`. */
export interface SettingsProblem {
  file: string;
  severity: 'error' | 'warning';
  message: string;
}
