import { useRef, useState, type MutableRefObject } from 'react';

/**
 * State whose latest value is readable at once through a ref: key handlers that run several
 * times before the next render (keys that arrived in one read) each see what the one before set.
 */
export function useSyncedState<T>(initial: T): [T, (next: T | ((previous: T) => T)) => void, MutableRefObject<T>] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const set = (next: T | ((previous: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
    setValue(ref.current);
  };
  return [value, set, ref];
}
