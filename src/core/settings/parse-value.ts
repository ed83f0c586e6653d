import { SETTING_KEYS, type SettingKey, type SettingValues } from './keys.js';
import { invalidSetting } from './settings-errors.js';
import { checkSetting } from './validate-setting.js';

/**
 * A value typed on the command line: strings as typed (so `config set log.level debug` needs no
 * quotes), everything else (numbers, booleans, arrays, objects) as JSON. Refused with the
 * expected type named.
 */
export function parseSettingValue<K extends SettingKey>(key: K, text: string): SettingValues[K] {
  const definition = SETTING_KEYS[key];
  let raw: unknown = text;
  if (definition.input === 'json') {
    try {
      raw = JSON.parse(text);
    } catch {
      throw invalidSetting(`${key} expects ${definition.expected}, not ${text} (not JSON)`);
    }
  }
  const checked = checkSetting(key, raw);
  if (!checked.ok) throw invalidSetting(checked.problem);
  return checked.value;
}
