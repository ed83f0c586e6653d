import { useEffect, useState } from 'react';

/**
 * A number that goes up each time `subscribe`'s source says the settings changed (another
 * process's `twinbox config set`, an editor saving settings.json), while the component is
 * mounted: a view that reads settings lists it among the things its read depends on.
 * `subscribe` returns the function that stops it, and must be the same function each render.
 */
export function useSettingsRevision(subscribe: (listener: () => void) => () => void): number {
  const [revision, setRevision] = useState(0);
  useEffect(() => subscribe(() => setRevision((current) => current + 1)), [subscribe]);
  return revision;
}
