/**
 * Where in a line of text with SGR sequences every attribute is off again: only there can a
 * screen writer start or stop writing part of the line and leave the cells as the whole line
 * would have drawn them.
 */

const TOKEN = /\u001B\[([0-9;:]*)m|\u001B\[[0-?]*[ -/]*[@-~]|[\s\S]/gu;

/** The SGR codes that switch an attribute on, by the code that switches it off again. */
const OFF_CODES = new Map<number, string>([
  [22, 'intensity'],
  [23, 'italic'],
  [24, 'underline'],
  [25, 'blink'],
  [27, 'inverse'],
  [28, 'hidden'],
  [29, 'strike'],
  [39, 'foreground'],
  [49, 'background'],
  [55, 'overline'],
]);

function attributeOf(code: number): string | undefined {
  if (code === 1 || code === 2) return 'intensity';
  if (code === 3) return 'italic';
  if (code === 4) return 'underline';
  if (code === 5 || code === 6) return 'blink';
  if (code === 7) return 'inverse';
  if (code === 8) return 'hidden';
  if (code === 9) return 'strike';
  if ((code >= 30 && code <= 38) || (code >= 90 && code <= 97)) return 'foreground';
  if ((code >= 40 && code <= 48) || (code >= 100 && code <= 107)) return 'background';
  if (code === 53) return 'overline';
  return undefined;
}

/** Applies one SGR parameter list to the set of attributes on; false when a code is not understood. */
function applySgr(on: Set<string>, parameters: string): boolean {
  const codes = parameters === '' ? [0] : parameters.split(/[;:]/).map(Number);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) {
      on.clear();
      continue;
    }
    const off = OFF_CODES.get(code);
    if (off) {
      on.delete(off);
      continue;
    }
    const attribute = attributeOf(code);
    if (!attribute) return false;
    on.add(attribute);
    // 38/48 carry their colour: 5;n or 2;r;g;b.
    if (code === 38 || code === 48) i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
  }
  return true;
}

/**
 * The offsets in `line` (in UTF-16 units, at token boundaries) where no attribute is on: the
 * start, and every point after the last attribute was switched off. A code it does not know
 * makes every later offset unsafe.
 */
export function plainOffsets(line: string): Set<number> {
  const offsets = new Set<number>([0]);
  const on = new Set<string>();
  let understood = true;
  for (const match of line.matchAll(TOKEN)) {
    if (match[1] !== undefined) understood = understood && applySgr(on, match[1]);
    else if (match[0].startsWith('\u001B')) understood = false;
    const end = match.index + match[0].length;
    if (understood && on.size === 0) offsets.add(end);
  }
  return offsets;
}
