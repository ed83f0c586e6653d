import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { EventRecord } from '../../../src/core/events/event-log.js';
import { resolvePaths, type TwinboxPaths } from '../../../src/core/paths.js';
import { openSettings, type OpenedSettings } from '../../../src/core/settings/open-settings.js';
import { forgetRuntimeDir, tempDir } from '../../helpers/temp.js';

/** A throw-away TWINBOX_HOME and TWINBOX_POLICY_DIR, with the policy files written by the test. */
export interface PolicyWorld {
  home: string;
  policyDir: string;
  env: NodeJS.ProcessEnv;
  paths: TwinboxPaths;
  /** `name` is relative to the policy folder (policy.json, policy.d/10-org.json); objects are written as JSON. */
  write(name: string, content: unknown): string;
  remove(name: string): void;
  file(name: string): string;
  /** Reads the policy and settings afresh, as a new twinbox process does. */
  open(): OpenedSettings;
  events(): EventRecord[];
}

export function policyWorld(t: ExecutionContext): PolicyWorld {
  const root = tempDir(t, 'tbx-policy-');
  const home = join(root, 'home');
  forgetRuntimeDir(t, home);
  const policyDir = join(root, 'policy');
  mkdirSync(policyDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { TWINBOX_HOME: home, TWINBOX_POLICY_DIR: policyDir };
  const paths = resolvePaths(env);
  const file = (name: string) => join(policyDir, name);
  return {
    home,
    policyDir,
    env,
    paths,
    file,
    write(name, content) {
      const path = file(name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
    remove(name) {
      rmSync(file(name), { recursive: true, force: true });
    },
    open: () => openSettings(paths, env),
    events() {
      try {
        return readFileSync(join(paths.dataDir, 'events.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as EventRecord);
      } catch {
        return [];
      }
    },
  };
}
