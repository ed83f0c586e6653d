import type { ValueSchema } from './key-definition.js';
import { SETTING_KEY_NAMES, SETTING_KEYS, type SettingKey } from './keys.js';

/**
 * settings.json's schema as conf takes it (the `properties` of the file's object): every key's
 * rule, default and description from the key table, which stays their one source. Keys the
 * table does not know are left to the settings layer, which warns about them and ignores them.
 */
export const SETTINGS_SCHEMA: Readonly<Record<SettingKey, ValueSchema>> = Object.fromEntries(SETTING_KEY_NAMES.map((key) => [key, SETTING_KEYS[key].schema])) as Record<
  SettingKey,
  ValueSchema
>;

/**
 * How conf's ajv compiles it (over conf's own allErrors and useDefaults). No useDefaults: ajv
 * would write every default into the file, which holds only what the user set (a missing key
 * is "not set", so the package and the built-in defaults below it apply). No unicodeRegExp: the
 * patterns then mean what they mean to the key table's checks, which run them without the u flag.
 */
export const SETTINGS_AJV_OPTIONS = { useDefaults: false, unicodeRegExp: false } as const;

