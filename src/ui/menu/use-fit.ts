import { useTheme } from '../terminal/theme.js';

const ELLIPSIS = '...';

/** A run of text with one style, so a line can be cut at the width without losing styles. */
export interface Segment {
  text: string;
  bold?: boolean;
  underline?: boolean;
  color?: string;
}

/**
 * Segments cut to `width` columns for an ASCII terminal. With Unicode, Ink truncates (with its
 * own "…"); without, that ellipsis and any non-ASCII character in a guest's names, messages or
 * output would be mojibake, so they become "?" and the cut is made here, ending in "...".
 */
export function fitAscii(segments: readonly Segment[], width: number): Segment[] {
  const ascii = segments.map((segment) => ({ ...segment, text: segment.text.replace(/[^\x20-\x7E]/g, '?') }));
  const total = ascii.reduce((sum, segment) => sum + segment.text.length, 0);
  if (total <= width) return ascii;
  const room = Math.max(0, width - ELLIPSIS.length);
  const kept: Segment[] = [];
  let used = 0;
  for (const segment of ascii) {
    if (used >= room) break;
    const text = segment.text.slice(0, room - used);
    kept.push({ ...segment, text });
    used += text.length;
  }
  kept.push({ text: ELLIPSIS.slice(0, width - used) });
  return kept;
}

/** Fits segments to the width the way this terminal needs (see fitAscii). */
export function useFit(): (segments: readonly Segment[], width: number) => readonly Segment[] {
  const { capabilities } = useTheme();
  return capabilities.unicode ? (segments) => segments : fitAscii;
}
