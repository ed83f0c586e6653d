import type { EffectiveSetting } from '../core/settings/effective-setting.js';
import { table } from './format.js';

/** Strings print bare so scripts can use them; everything else prints as JSON. */
export function showValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A setting's source, and why it is refused or is the last good version of a broken file. */
export function sourceText(setting: EffectiveSetting): string {
  if (setting.problem) return `${setting.source} (refused: ${setting.problem})`;
  if (setting.lastGood) return `${setting.source} (last good version: the file is broken)`;
  return setting.source;
}

/** KEY VALUE SOURCE rows: `twinbox config list` and `twinbox policy`. */
export function settingsTable(settings: EffectiveSetting[]): string {
  return table(
    ['KEY', 'VALUE', 'SOURCE'],
    settings.map((setting) => [setting.key, setting.value === null ? '-' : showValue(setting.value), sourceText(setting)]),
  );
}
