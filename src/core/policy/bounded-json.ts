/**
 * JSON read from others (policy files, package manifests, guest-agent replies) is bounded before
 * anything walks it: V8's JSON.parse copes with any depth, but every recursive walk after it
 * (a schema check, JSON.stringify, a deep copy) dies with "Maximum call stack size exceeded".
 */

/** Deeper than this is a mistake or an attack: no twinbox file nests more than a handful of levels. */
export const MAX_JSON_DEPTH = 64;

export class JsonLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonLimitError';
  }
}

/**
 * How deeply `text` nests arrays and objects, found by one scan that skips strings (no
 * recursion, so no depth can overflow it). Stops counting at `limit + 1`.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

export interface BoundedJsonLimits {
  /** Longest text accepted, in UTF-16 code units (bytes for ASCII). */
  maxLength?: number;
  maxDepth?: number;
}

/**
 * JSON.parse with a length and a depth limit checked first. Throws JsonLimitError for a text over
 * a limit (message: "nested deeper than 64 levels", "larger than N bytes") and SyntaxError for
 * one that is not JSON.
 */
export function parseBoundedJson(text: string, limits: BoundedJsonLimits = {}): unknown {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  if (limits.maxLength !== undefined && text.length > limits.maxLength) throw new JsonLimitError(`larger than ${limits.maxLength} bytes`);
  if (jsonDepth(text, maxDepth) > maxDepth) throw new JsonLimitError(`nested deeper than ${maxDepth} levels`);
  return JSON.parse(text);
}
