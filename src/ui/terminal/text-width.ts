/**
 * Terminal column widths for what the UI draws. Only characters whose width every terminal
 * agrees on count as `known`: ASCII, Latin, Greek and Cyrillic, general punctuation, arrows,
 * box drawing and block elements. Anything else (CJK, emoji, combining marks…) is drawn but
 * never used to place the cursor by column: a screen writer that guessed its width wrong would
 * draw in the wrong place.
 */

const CSI = /\u001B\[[0-?]*[ -/]*[@-~]/g;

export function isKnownWidthCharacter(codePoint: number): boolean {
  if (codePoint >= 0x20 && codePoint < 0x7f) return true;
  if (codePoint >= 0xa0 && codePoint < 0x300) return true; // Latin-1 and Latin Extended
  if (codePoint >= 0x370 && codePoint < 0x530) return codePoint < 0x483 || codePoint > 0x489; // Greek, Cyrillic, not its combining marks
  if (codePoint >= 0x2010 && codePoint < 0x2028) return true; // dashes, quotes, bullets, ellipsis
  if (codePoint >= 0x2030 && codePoint < 0x205f) return true; // per mille, guillemets ‹ ›
  if (codePoint >= 0x2190 && codePoint < 0x2200) return true; // arrows
  if (codePoint >= 0x2500 && codePoint < 0x25a0) return true; // box drawing, block elements
  return false;
}

/** The text without its escape sequences: what takes columns on the screen. */
export function visibleText(text: string): string {
  return text.replace(CSI, '');
}

/** A line's width in columns (escape sequences take none), or undefined when it holds a character of uncertain width. */
export function knownWidth(text: string): number | undefined {
  let width = 0;
  for (const char of visibleText(text)) {
    if (!isKnownWidthCharacter(char.codePointAt(0)!)) return undefined;
    width++;
  }
  return width;
}

/** The most columns the text can take: a character of uncertain width counts two. */
export function widthAtMost(text: string): number {
  let width = 0;
  for (const char of visibleText(text)) width += isKnownWidthCharacter(char.codePointAt(0)!) ? 1 : 2;
  return width;
}
