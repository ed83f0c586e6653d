import { UsageError } from './usage-error.js';

/** The one workspace name a lifecycle command acts on. */
export function lifecycleTarget(positionals: string[]): string {
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('give exactly one workspace name');
  return name;
}

/** A `--timeout`-style option in seconds, as milliseconds. */
export function seconds(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new UsageError(`${option} takes a number of seconds`);
  return Math.round(parsed * 1000);
}
