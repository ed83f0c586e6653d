/**
 * Ink's incremental renderer moves the cursor line by line: `ESC[E` (next line) for each line
 * it keeps, `ESC[1G` (column 1) before each line it rewrites. Over a slow link that fixed cost
 * is a good part of a frame. These rewrites leave the screen exactly as it would have been.
 */

/** A run of next-line moves, with the column-1 move that may follow; or a column-1 move alone. */
const CURSOR_MOVES = /(?:\u001B\[E)+(?:\u001B\[1G)?|\u001B\[1G/g;
const NEXT_LINE = '\u001B[E';

/**
 * Shortens Ink's cursor moves in one write:
 * - n next-line moves become one `ESC[nE`: each stops at the bottom line, as the counted one does;
 * - a column-1 move right after a next-line move goes: next-line already ends in column 1;
 * - any other column-1 move becomes a carriage return, which the terminal reads as the same move
 *   (the tty passes CR through: only OCRNL, which neither raw mode nor stty defaults set, maps it).
 * A sequence split over two writes is left as it is, which is merely less compact.
 */
export function compactCursorMoves(text: string): string {
  return text.replace(CURSOR_MOVES, (moves) => {
    const lines = moves.split(NEXT_LINE).length - 1;
    if (lines === 0) return '\r';
    return lines === 1 ? NEXT_LINE : `\u001B[${lines}E`;
  });
}

/** One per terminal: Ink keeps one instance per output stream, and finds it by identity. */
const compacted = new WeakMap<NodeJS.WriteStream, NodeJS.WriteStream>();

/**
 * The terminal as Ink sees it, with every string written passed through `translate` first.
 * Everything else (columns, rows, isTTY, 'resize' listeners, end, destroyed...) is the
 * terminal's own.
 */
export function translatedStream(stdout: NodeJS.WriteStream, translate: (text: string) => string): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stdout.write as (chunk: unknown, ...rest: unknown[]) => boolean).call(stdout, typeof chunk === 'string' ? translate(chunk) : chunk, ...rest);
  const bound = new WeakMap<object, unknown>();
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // The stream's own methods run on the stream itself (its private state is not the proxy's).
      if (!bound.has(value)) bound.set(value, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(value);
    },
  });
}

/** The terminal as Ink sees it, writing through `compactCursorMoves`; one per terminal. */
export function compactOutput(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  const known = compacted.get(stdout);
  if (known) return known;
  const proxy = translatedStream(stdout, compactCursorMoves);
  compacted.set(stdout, proxy);
  return proxy;
}
