import type { Clock } from 'twinbox/plugin-api';
import type { Probe } from './process.js';

const POLL_MS = 50;

/** Polls until `done` says yes or the time is up; true when it finished in time. */
export async function pollUntil(deps: { clock: Clock }, timeoutMs: number, done: () => Promise<boolean>, intervalMs = POLL_MS): Promise<boolean> {
  const deadline = deps.clock.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (deps.clock.now() >= deadline) return false;
    await deps.clock.sleep(Math.min(intervalMs, Math.max(1, deadline - deps.clock.now())));
  }
}

export function waitForExit(deps: { clock: Clock; probe: Probe }, pid: number, timeoutMs: number): Promise<boolean> {
  return pollUntil(deps, timeoutMs, async () => !(await deps.probe(pid)).alive);
}
