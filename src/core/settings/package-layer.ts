import { SETTING_KEY_NAMES, SETTING_KEYS, type SettingKey } from './keys.js';
import { checkSetting } from './validate-setting.js';

/** What one workspace's package sets: only the fields its workspace.json actually states. */
export interface PackageLayer {
  workspace: string;
  values: Partial<Record<SettingKey, unknown>>;
}

function at(object: unknown, path: readonly string[]): unknown {
  let current = object;
  for (const part of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Reads the raw (not default-filled) workspace.json, so a field the package leaves out shows as
 * a built-in default rather than as the package's choice.
 */
export function packageLayerOf(workspace: string, rawManifest: unknown): PackageLayer {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEY_NAMES) {
    const path = SETTING_KEYS[key].packagePath;
    if (!path) continue;
    const value = at(rawManifest, path);
    if (value === undefined) continue;
    const checked = checkSetting(key, value);
    if (checked.ok) values[key] = checked.value;
  }
  return { workspace, values };
}
