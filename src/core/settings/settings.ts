import type { TwinboxError } from '../../plugin-api/index.js';
import type { MachinePolicy } from '../policy/machine-policy.js';
import { policyFileProblems } from '../policy/policy-problems.js';
import type { EffectiveSetting, SettingSource, SettingsProblem } from './effective-setting.js';
import { SETTING_KEY_NAMES, SETTING_KEYS, type SettingKey, type SettingValues } from './keys.js';
import type { PackageLayer } from './package-layer.js';
import { invalidSetting, invalidStoredSetting, policyLocked, policyUnresolved } from './settings-errors.js';
import { UserSettingsFile } from './user-settings-file.js';
import { checkSetting } from './validate-setting.js';

/** Every setting's value type, by key. */
export type UserSettings = SettingValues;

export const SETTINGS_DEFAULTS: UserSettings = Object.fromEntries(
  SETTING_KEY_NAMES.map((key) => [key, SETTING_KEYS[key].default]),
) as UserSettings;

export interface SettingsOptions {
  /** Machine policy; without it only defaults, the package and the user's settings count. */
  policy?: MachinePolicy;
  /** A workspace's package defaults. */
  packageLayer?: PackageLayer;
}

interface Resolved<K extends SettingKey> {
  setting: EffectiveSetting<K>;
  /** Why get() must refuse, when no value can be used. */
  error?: TwinboxError;
}

/**
 * Settings in layers, lowest to highest: built-in defaults < package defaults < the user's
 * settings (`<config>/settings.json`) < machine policy. Every value carries its source; a key
 * machine policy sets is locked.
 */
export class Settings {
  readonly recovered?: UserSettingsFile['recovered'];
  private readonly file: UserSettingsFile;

  constructor(
    source: string | UserSettingsFile,
    private options: SettingsOptions = {},
  ) {
    this.file = typeof source === 'string' ? new UserSettingsFile(source) : source;
    this.recovered = this.file.recovered;
  }

  get policy(): MachinePolicy | undefined {
    return this.options.policy;
  }

  /** Machine policy read again (a long-running process, the host agent): in force from now on. */
  usePolicy(policy: MachinePolicy): void {
    this.options = { ...this.options, policy };
  }

  get packageLayer(): PackageLayer | undefined {
    return this.options.packageLayer;
  }

  /** The same settings seen from one workspace: its package's defaults join in. */
  forPackage(layer: PackageLayer): Settings {
    return new Settings(this.file, { ...this.options, packageLayer: layer });
  }

  /** The effective value; refuses (exit 4 or 2) when policy or settings.json make it unknowable. */
  get<K extends SettingKey>(key: K): UserSettings[K] {
    const { setting, error } = this.resolve(key);
    if (error) throw error;
    return setting.value as UserSettings[K];
  }

  set<K extends SettingKey>(key: K, value: UserSettings[K]): void {
    this.assertWritable(key);
    const checked = checkSetting(key, value);
    if (!checked.ok) throw invalidSetting(checked.problem);
    this.file.write(key, checked.value);
  }

  unset(key: SettingKey): void {
    this.assertWritable(key);
    this.file.remove(key);
  }

  describe<K extends SettingKey>(key: K): EffectiveSetting<K> {
    return this.resolve(key).setting;
  }

  /** Every key's effective value, from one read of settings.json. */
  effective(): EffectiveSetting[] {
    const stored = this.file.values();
    return SETTING_KEY_NAMES.map((key) => this.resolve(key, stored).setting);
  }

  /**
   * Calls `listener` when settings.json changes (another process's `config set`, an editor);
   * returns the function that stops it. For long-running views of the settings: the dashboard.
   */
  onDidChange(listener: () => void): () => void {
    return this.file.onDidChange(listener);
  }

  /** Problems of the policy files and of settings.json, errors first. */
  problems(): SettingsProblem[] {
    const problems = policyFileProblems(this.policy?.files ?? []);
    if (this.recovered) {
      problems.push({ file: this.path, severity: 'warning', message: `was unreadable (${this.recovered.problem}) and was kept aside as ${this.recovered.backupPath}` });
    }
    const unknown = this.file.keys().filter((key) => !Object.hasOwn(SETTING_KEYS, key));
    if (unknown.length > 0) problems.push({ file: this.path, severity: 'warning', message: `unknown settings, ignored: ${unknown.join(', ')}` });
    for (const setting of this.effective()) {
      if (setting.problem && setting.source === 'user') problems.push({ file: this.path, severity: 'error', message: setting.problem });
    }
    return problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  }

  get path(): string {
    return this.file.path;
  }

  private assertWritable(key: SettingKey): void {
    const rule = this.policy?.rule(key);
    if (rule?.kind === 'enforced') throw policyLocked(key, rule.file);
    if (rule?.kind === 'unresolved') throw policyUnresolved(key, rule.file, rule.problem);
  }

  private resolve<K extends SettingKey>(key: K, stored: Record<string, unknown> = this.file.values()): Resolved<K> {
    const definition = SETTING_KEYS[key];
    const layers: Array<{ source: SettingSource; value: unknown }> = [];
    const packaged = this.options.packageLayer?.values[key];
    if (packaged !== undefined) layers.push({ source: 'package', value: packaged });
    const base = { key, description: definition.description, expected: definition.expected };

    const rule = this.policy?.rule(key);
    if (rule?.kind === 'unresolved') {
      const setting: EffectiveSetting<K> = { ...base, value: null, source: `policy:${rule.file}`, locked: true, overridden: [], problem: `${rule.file} is malformed: ${rule.problem}` };
      return { setting, error: policyUnresolved(key, rule.file, rule.problem) };
    }

    // The user's value matters only when policy does not decide, but its problem shows either way.
    let userError: TwinboxError | undefined;
    let userProblem: string | undefined;
    if (Object.hasOwn(stored, key)) {
      const checked = checkSetting(key, stored[key]);
      if (checked.ok) layers.push({ source: 'user', value: checked.value });
      else {
        userProblem = checked.problem;
        userError = invalidStoredSetting(key, this.path, checked.problem);
      }
    }

    if (rule?.kind === 'enforced') {
      const setting: EffectiveSetting<K> = {
        ...base,
        value: rule.value as SettingValues[K],
        source: `policy:${rule.file}`,
        locked: true,
        overridden: layers.reverse(),
      };
      if (rule.lastGood) setting.lastGood = { since: rule.lastGood.savedAt, problem: rule.lastGood.problem };
      return { setting };
    }

    if (userError) {
      // A bad value is refused rather than replaced by a lower layer: for security.* keys that would fail open.
      const setting: EffectiveSetting<K> = { ...base, value: null, source: 'user', locked: false, overridden: layers.reverse(), problem: userProblem };
      return { setting, error: userError };
    }

    const winner = layers.pop();
    const setting: EffectiveSetting<K> = winner
      ? { ...base, value: winner.value as SettingValues[K], source: winner.source, locked: false, overridden: layers.reverse() }
      : { ...base, value: definition.default as SettingValues[K], source: 'default', locked: false, overridden: [] };
    return { setting };
  }
}
