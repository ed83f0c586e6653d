import { useEffect, useRef, useState } from 'react';
import type { Clock } from '../../plugin-api/index.js';

export interface Poll<T> {
  value?: T;
  /** The last load's failure, one line; the last good value stays shown. */
  error?: string;
  /** Loads again now instead of at the next interval. */
  refresh(): void;
}

export interface PollTiming {
  /** Between loads while the result changes, and after a refresh. */
  intervalMs: number;
  /** Between loads once `quietLoads` loads in a row brought nothing new. */
  quietIntervalMs?: number;
  quietLoads?: number;
}

const DEFAULT_QUIET_LOADS = 5;

/**
 * Loads `load()` now and again every `intervalMs` after each load ends (loads never overlap),
 * off the render path, until the component unmounts. A result equal to the last one renders
 * nothing: an idle screen costs no redraws. Once several loads in a row brought nothing new,
 * it loads every `quietIntervalMs` instead, until a result changes or `refresh()` is called
 * (as every action does): an idle screen costs little, a busy one stays live. The intervals
 * sleep on the injected clock. `first` is a first load already under way, or its result
 * already there (then the first frame shows it, and the next load waits an interval).
 */
export function usePoll<T>(load: () => Promise<T>, timing: PollTiming, clock: Clock, first?: Promise<T> | { value: T }): Poll<T> {
  const { intervalMs, quietIntervalMs = intervalMs, quietLoads = DEFAULT_QUIET_LOADS } = timing;
  // A first result already there is the first frame's: no frame without it, no load at once.
  const known = first !== undefined && !(first instanceof Promise) ? first : undefined;
  const [state, setState] = useState<{ value?: T; error?: string }>(() => (known ? { value: known.value } : {}));
  const wake = useRef<AbortController | undefined>(undefined);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const stop = new AbortController();
    let last = known ? JSON.stringify(known.value) : '';
    let unchanged = 0;
    // A first load already under way (started before the UI loaded) is used once, not repeated.
    let pending = first instanceof Promise ? first : undefined;
    const loop = async () => {
      if (known) await pause();
      while (!stop.signal.aborted) {
        try {
          const value = await (pending ?? loader.current());
          pending = undefined;
          const key = JSON.stringify(value);
          if (key === last) unchanged++;
          else unchanged = 0;
          if (!stop.signal.aborted && key !== last) {
            last = key;
            setState({ value });
          }
        } catch (error) {
          pending = undefined;
          if (!stop.signal.aborted) {
            last = '';
            setState((previous) => ({ value: previous.value, error: (error as Error)?.message ?? String(error) }));
          }
        }
        await pause();
      }
    };
    const pause = async () => {
      const woken = new AbortController();
      wake.current = woken;
      try {
        await clock.sleep(unchanged >= quietLoads ? quietIntervalMs : intervalMs, AbortSignal.any([stop.signal, woken.signal]));
      } catch {
        // Woken early (refresh: poll often again) or stopped: the loop's condition decides.
        if (woken.signal.aborted) unchanged = 0;
      }
    };
    void loop();
    return () => stop.abort();
  }, [intervalMs, quietIntervalMs, quietLoads, clock, first]);
  return { ...state, refresh: () => wake.current?.abort() };
}
