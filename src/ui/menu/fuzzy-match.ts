/** Where a query matched a text, and how well: higher is better. */
export interface FuzzyMatch {
  score: number;
  /** Indices in the text of the matched characters, ascending. */
  positions: number[];
}

const MATCH = 16;
const START_BONUS = 24;
const WORD_BONUS = 12;
const CONSECUTIVE_BONUS = 10;
const GAP_PENALTY = 2;

function isWordStart(text: string, index: number): boolean {
  if (index === 0) return true;
  const before = text.charCodeAt(index - 1);
  const here = text.charCodeAt(index);
  // After a separator (space - _ . / :), or a camelCase hump.
  if (before === 32 || before === 45 || before === 95 || before === 46 || before === 47 || before === 58) return true;
  return before >= 97 && before <= 122 && here >= 65 && here <= 90;
}

/**
 * fzf-style: the forward scan finds where the match must end, the backward scan from there
 * the shortest window; the window is then scored. Calls `hit` for each matched index.
 */
function scan(query: string, text: string, lower: string, hit?: (index: number) => void): number | undefined {
  if (query.length === 0) return 0;
  let q = 0;
  let end = -1;
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) === query.charCodeAt(q) && ++q === query.length) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  let start = end;
  for (let i = end, back = query.length - 1; i >= 0; i--) {
    if (lower.charCodeAt(i) === query.charCodeAt(back)) {
      start = i;
      if (--back < 0) break;
    }
  }
  let score = 0;
  let previous = -2;
  for (let i = start, next = 0; i <= end && next < query.length; i++) {
    if (lower.charCodeAt(i) !== query.charCodeAt(next)) continue;
    score += MATCH;
    if (i === 0) score += START_BONUS;
    else if (isWordStart(text, i)) score += WORD_BONUS;
    if (i === previous + 1) score += CONSECUTIVE_BONUS;
    else if (previous >= 0) score -= GAP_PENALTY * (i - previous - 1);
    hit?.(i);
    previous = i;
    next++;
  }
  return score;
}

/**
 * How well `query` (already lower case) matches `text` as a subsequence, or undefined. Word
 * starts and runs of consecutive characters count most, gaps count against. `lower` is
 * `text.toLowerCase()`, passed in so an index computes it once per app, not per key. Allocates
 * nothing: it runs for every app on every key.
 */
export function fuzzyScore(query: string, text: string, lower: string = text.toLowerCase()): number | undefined {
  return scan(query, text, lower);
}

/** The score and the matched characters, for the few rows the screen shows. */
export function fuzzyMatch(query: string, text: string, lower: string = text.toLowerCase()): FuzzyMatch | undefined {
  const positions: number[] = [];
  const score = scan(query, text, lower, (index) => positions.push(index));
  return score === undefined ? undefined : { score, positions };
}
