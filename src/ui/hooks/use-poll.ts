import { useEffect, useRef, useState } from 'react';
import type { Clock } from '../../plugin-api/index.js';

export interface Poll<T> {
  value?: T;
  /** The last load's failure, one line; the last good value stays shown. */
  error?: string;
  /** Loads again now instead of at the next interval. */
  refresh(): void;
}

/**
 * Loads `load()` now and again every `intervalMs` after each load ends (loads never overlap),
 * off the render path, until the component unmounts. A result equal to the last one renders
 * nothing: an idle screen costs no redraws. The interval sleeps on the injected clock.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number, clock: Clock, first?: Promise<T>): Poll<T> {
  const [state, setState] = useState<{ value?: T; error?: string }>({});
  const wake = useRef<AbortController | undefined>(undefined);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const stop = new AbortController();
    let last = '';
    // A first load already under way (started before the UI loaded) is used once, not repeated.
    let pending = first;
    const loop = async () => {
      while (!stop.signal.aborted) {
        try {
          const value = await (pending ?? loader.current());
          pending = undefined;
          const key = JSON.stringify(value);
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
        wake.current = new AbortController();
        try {
          await clock.sleep(intervalMs, AbortSignal.any([stop.signal, wake.current.signal]));
        } catch {
          // Woken early (refresh) or stopped: the loop's condition decides.
        }
      }
    };
    void loop();
    return () => stop.abort();
  }, [intervalMs, clock, first]);
  return { ...state, refresh: () => wake.current?.abort() };
}
