import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PausePoint } from './step-runner.js';

/**
 * Hooks for tests that drive the real CLI, honoured only under TWINBOX_TEST=1:
 * - TWINBOX_TEST_PAUSE_AT_STEP=<step>[:after] holds setup when that step has started (or,
 *   with `:after`, when its work is done but not yet journaled), after writing the file
 *   `test-paused` in the workspace folder, so that a test can kill the process right there;
 * - TWINBOX_TEST_MINUTE_MS shortens the minutes of workspace.json's time limits.
 */
export interface TestHooks {
  pause?: (step: string, point: PausePoint) => Promise<void>;
  minuteMs?: number;
}

export function testHooks(env: NodeJS.ProcessEnv, workspaceDir: string): TestHooks {
  if (env.TWINBOX_TEST !== '1') return {};
  const hooks: TestHooks = {};
  const minute = Number(env.TWINBOX_TEST_MINUTE_MS);
  if (Number.isFinite(minute) && minute > 0) hooks.minuteMs = minute;
  const target = env.TWINBOX_TEST_PAUSE_AT_STEP;
  if (target) {
    const [step, point = 'start'] = target.split(':');
    hooks.pause = async (current, currentPoint) => {
      if (current !== step || currentPoint !== point) return;
      writeFileSync(join(workspaceDir, 'test-paused'), `${process.pid} ${target}\n`);
      // Held until killed: the interval keeps the event loop, and so the process, alive.
      await new Promise<never>(() => setInterval(() => undefined, 60_000));
    };
  }
  return hooks;
}
