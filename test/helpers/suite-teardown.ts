import type { TestFn } from 'ava';

/**
 * Clean-up steps a whole test file collects (users, servers, folders made once for all its
 * tests), run in reverse order when its last test has ended; a step that fails is logged and
 * the rest still run. Pass it where a single test's `t` would do (`{ teardown }`).
 */
export function suiteTeardown(test: TestFn): { teardown: (fn: () => unknown) => void } {
  const cleanups: Array<() => unknown> = [];
  test.after.always(async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.log(`clean-up step failed: ${String(error)}`);
      }
    }
  });
  return { teardown: (fn) => void cleanups.push(fn) };
}
