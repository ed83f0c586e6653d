/**
 * A line-by-line model of WinPR's CommandLineParseCommaSeparatedValuesEx, the parser FreeRDP 3
 * reads `/app:` and `/drive:` with, so tests can check twinbox's quoting against what the real
 * client does. Ported from FreeRDP/FreeRDP, winpr/libwinpr/utils/cmdline.c:
 * - variant '3.0': tags 3.0.0–3.16.x (3.5.1 lines 473-775: is_quoted 473, get_element_count 486,
 *   get_next_comma 547, is_valid_fullquoted 601, CommandLineParseCommaSeparatedValuesEx 636);
 * - variant '3.17': tag 3.17.0 to the main branch (commit 45b3cbf12 "Add escaped quote support";
 *   main lines 522-862: get_element_count 535 with `is_quoted(cur) && !escaped` at 584,
 *   get_next_comma 613).
 * The C works on a NUL-terminated copy it cuts with NULs; so does this, on an array of
 * characters. Where the C would read past the end of its buffer (3.17: a backslash before the
 * terminating NUL) the model fails, as the outcome is undefined.
 */
export type WinPrVariant = '3.0' | '3.17';

const NUL = '\0';

function isQuoted(char: string | undefined): number {
  return char === '"' ? 1 : char === "'" ? -1 : 0;
}

class Overread extends Error {}

/** Characters from `at` up to the first NUL. */
function read(buffer: readonly string[], at: number): string {
  let out = '';
  for (let i = at; i < buffer.length && buffer[i] !== NUL; i++) out += buffer[i];
  return out;
}

function at(buffer: readonly string[], index: number): string {
  if (index >= buffer.length) throw new Overread();
  return buffer[index]!;
}

function elementCount(buffer: readonly string[], start: number, fullquoted: boolean, variant: WinPrVariant): number | undefined {
  if (read(buffer, start) === '') return 0;
  let count = 0;
  let quoted = 0;
  let first = true;
  let escaped = false;
  let i = start;
  for (;;) {
    let nextFirst = false;
    const cur = at(buffer, i++);
    if (variant === '3.17' && escaped) {
      escaped = false;
      continue;
    }
    switch (cur) {
      case NUL:
        if (quoted !== 0) return undefined; // "missing closing quote"
        return count + 1;
      case '\\':
        if (variant === '3.17') {
          escaped = true;
          continue;
        }
        break;
      case "'":
      case '"':
        if (!fullquoted) {
          const now = variant === '3.17' ? (isQuoted(cur) !== 0 ? 1 : 0) : isQuoted(cur);
          if (now === quoted) quoted = 0;
          else if (quoted === 0) quoted = now;
        }
        break;
      case ',':
        if (first) return undefined; // "empty list elements"
        if (quoted === 0) {
          nextFirst = true;
          count++;
        }
        break;
      default:
        break;
    }
    first = nextFirst;
  }
}

/** The index of the comma that ends the element at `start`, or undefined (end, or an error the C logs and returns NULL for). */
function nextComma(buffer: readonly string[], start: number, fullquoted: boolean, variant: WinPrVariant): number | undefined {
  let quoted = 0;
  let first = true;
  let escaped = false;
  let i = start;
  for (;;) {
    const last = i;
    const cur = at(buffer, i++);
    if (variant === '3.17') {
      if (escaped) {
        escaped = false;
        continue;
      }
      if (cur === '\\') {
        escaped = true;
        continue;
      }
    }
    switch (cur) {
      case NUL:
        return undefined;
      case "'":
      case '"':
        if (!fullquoted) {
          const now = isQuoted(cur);
          if (quoted === 0 && !first) return undefined; // "Invalid quoted argument"
          if (now === quoted) quoted = 0;
          else if (quoted === 0) quoted = now;
        }
        break;
      case ',':
        if (first) return undefined; // "empty list elements"
        if (quoted === 0) return last;
        break;
      default:
        break;
    }
    first = false;
  }
}

function isValidFullquoted(text: string): boolean {
  const quote = text[0];
  if (isQuoted(quote) === 0) return false;
  let last = NUL;
  for (let i = 1; i < text.length; i++) {
    const cur = text[i]!;
    if (cur === quote && i + 1 < text.length) return false; // escaped or not, only the last may be the quote
    last = cur;
  }
  return last === quote;
}

/** What FreeRDP 3 gets back from CommandLineParseCommaSeparatedValuesEx(name, list), or undefined where it fails. */
export function winPrCommaList(list: string, variant: WinPrVariant, name?: string): string[] | undefined {
  try {
    return parse(list, variant, name);
  } catch (error) {
    if (error instanceof Overread) return undefined;
    throw error;
  }
}

function parse(list: string, variant: WinPrVariant, name?: string): string[] | undefined {
  let text = list;
  let fullquoted = false;
  if (text.length > 0) {
    const start = isQuoted(text[0]);
    const end = isQuoted(text.at(-1));
    if (start !== 0 && end !== 0) {
      if (start !== end) return undefined; // "quote mismatch"
      if (!isValidFullquoted(text)) return undefined;
      text = text.slice(1, -1);
      fullquoted = true;
    }
  }
  // calloc'd: the copy is followed by NULs.
  const buffer = [...text, NUL, NUL];
  const count = elementCount(buffer, 0, fullquoted, variant);
  if (count === undefined) return undefined;
  if (count === 0) return name ? [name] : undefined;
  const pointers: number[] = [];
  let str = 0;
  for (let index = 0; index < count; index++) {
    let ptr = str;
    const quote = isQuoted(buffer[ptr]);
    const comma = nextComma(buffer, str, fullquoted, variant);
    if (quote !== 0 && !fullquoted) ptr++;
    pointers.push(ptr);
    if (comma !== undefined) {
      const last = comma - 1;
      const lastQuote = isQuoted(buffer[last]);
      if (!fullquoted) {
        if (lastQuote !== quote) return undefined; // "quote mismatch"
        else if (lastQuote !== 0) buffer[last] = NUL;
      }
      buffer[comma] = NUL;
      str = comma + 1;
    } else if (quote !== 0) {
      const rest = read(buffer, ptr);
      const end = rest.lastIndexOf('"'); // strrchr(ptr, '"'), whichever quote opened it
      if (end < 0) return undefined;
      buffer[ptr + end] = NUL;
    }
  }
  const values = pointers.map((pointer) => read(buffer, pointer));
  return name ? [name, ...values] : values;
}
