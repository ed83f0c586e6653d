import { useEffect, useState } from 'react';
import type { Clock } from '../../plugin-api/index.js';

/** The clock's time, renewed every `intervalMs` while `active`: for elapsed-time displays only while something runs. */
export function useTicker(clock: Clock, intervalMs: number, active: boolean): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    if (!active) return;
    const stop = new AbortController();
    const loop = async () => {
      while (!stop.signal.aborted) {
        try {
          await clock.sleep(intervalMs, stop.signal);
        } catch {
          return;
        }
        setNow(clock.now());
      }
    };
    void loop();
    return () => stop.abort();
  }, [clock, intervalMs, active]);
  return now;
}
