import { SETTING_KEYS, type SettingKey, type SettingValues } from './keys.js';

export type Checked<K extends SettingKey> = { ok: true; value: SettingValues[K] } | { ok: false; problem: string };

/** Checks a value against its key's type; the problem names what was expected. */
export function checkSetting<K extends SettingKey>(key: K, value: unknown): Checked<K> {
  const definition = SETTING_KEYS[key];
  const problem = definition.check(value);
  if (problem === undefined) return { ok: true, value: value as SettingValues[K] };
  return { ok: false, problem: `${key} expects ${definition.expected}, not ${show(value)}${problem ? ` (${problem})` : ''}` };
}

function show(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
