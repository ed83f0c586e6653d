import type { SettingKey } from '../settings/keys.js';

/** What machine policy says about one key. */
export type PolicyRule =
  | {
      kind: 'enforced';
      value: unknown;
      file: string;
      /** Set when the file is broken now and this is its last good content. */
      lastGood?: { savedAt: string; problem: string };
    }
  | {
      /** A broken file with no last good version may set this key: refuse rather than guess. */
      kind: 'unresolved';
      file: string;
      problem: string;
    };

export type PolicyFileStatus = 'applied' | 'last-good' | 'refused';

/** How each policy file was used, for `twinbox policy`. */
export interface PolicyFileReport {
  file: string;
  status: PolicyFileStatus;
  sha256?: string;
  problem?: string;
  /** When the last good content in force was first seen. */
  lastGoodSince?: string;
  unknownKeys?: string[];
}

/** The merged machine policy of one policy folder. */
export class MachinePolicy {
  constructor(
    readonly dir: string,
    readonly files: readonly PolicyFileReport[],
    private readonly rules: ReadonlyMap<SettingKey, PolicyRule>,
    /** A broken file whose keys are unknown governs every key no later file sets. */
    private readonly unresolvedAll?: { file: string; problem: string },
  ) {}

  static none(dir: string): MachinePolicy {
    return new MachinePolicy(dir, [], new Map());
  }

  rule(key: SettingKey): PolicyRule | undefined {
    const rule = this.rules.get(key);
    if (rule) return rule;
    return this.unresolvedAll ? { kind: 'unresolved', ...this.unresolvedAll } : undefined;
  }
}
