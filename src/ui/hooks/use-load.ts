import { useEffect, useState, type DependencyList } from 'react';

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: string };

/** Runs an async read once per change of `deps`, off the render path; a result that arrives after unmount is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    load().then(
      (value) => live && setLoaded({ state: 'ready', value }),
      (error: unknown) => live && setLoaded({ state: 'failed', error: (error as Error)?.message ?? String(error) }),
    );
    return () => {
      live = false;
    };
    // The caller lists what the load depends on.
  }, deps);
  return loaded;
}
