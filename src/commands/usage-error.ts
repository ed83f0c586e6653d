import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad flags or arguments: the CLI prints usage and exits 2. */
export class UsageError extends Error {}

/** node's parseArgs in strict mode, with its errors turned into one-line usage errors. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''));
  }
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known names closest to a mistyped one, best first (at most three): within 1 edit for
 * names of up to three letters, 2 for longer ones, or names it begins (`uninst` → uninstall).
 */
export function closestNames(input: string, known: readonly string[]): string[] {
  const typed = input.toLowerCase();
  const limit = typed.length <= 3 ? 1 : 2;
  return known
    .map((name) => ({ name, distance: typed.length >= 3 && name.startsWith(typed) ? 0.5 : editDistance(typed, name) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map(({ name }) => name);
}

/** `did you mean "status"?` or `did you mean "stop" or "start"?`, or nothing when no name is close. */
export function didYouMean(input: string, known: readonly string[]): string | undefined {
  const names = closestNames(input, known).map((name) => `"${name}"`);
  if (names.length === 0) return undefined;
  return `did you mean ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`}?`;
}
