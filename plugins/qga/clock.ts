import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from 'twinbox/plugin-api';

/** Used when the host registers no `Clock` (a plugin loaded outside twinbox). */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};
