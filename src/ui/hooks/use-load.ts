import { useEffect, useState, type DependencyList } from 'react';

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: string };

/**
 * Runs an async read once per change of `deps` (the caller lists what the read depends on), off
 * the render path. The signal aborts when the deps change or the component unmounts; a result
 * that arrives after that is dropped.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    load(controller.signal).then(
      (value) => !controller.signal.aborted && setLoaded({ state: 'ready', value }),
      (error: unknown) => !controller.signal.aborted && setLoaded({ state: 'failed', error: (error as Error)?.message ?? String(error) }),
    );
    return () => controller.abort();
  }, deps);
  return loaded;
}
