import type { Readable } from 'node:stream';
import type { ReadStream, WriteStream } from 'node:tty';

/** The user's terminal, when there is one: raw mode, size and resize events. */
export interface HostTerminal {
  size(): { rows: number; cols: number };
  setRawMode(on: boolean): void;
  /** Calls `listener` on every resize; returns a function that stops listening. */
  onResize(listener: () => void): () => void;
}

/** The process's own terminal for an interactive app, or undefined when stdin or stdout is not one. */
export function processTerminal(stdin: NodeJS.ReadStream = process.stdin, stdout: NodeJS.WriteStream = process.stdout): HostTerminal | undefined {
  const input = stdin as ReadStream;
  const output = stdout as WriteStream;
  if (!input.isTTY || !output.isTTY) return undefined;
  return {
    size: () => ({ rows: output.rows || 24, cols: output.columns || 80 }),
    setRawMode: (on) => input.setRawMode(on),
    onResize: (listener) => {
      output.on('resize', listener);
      return () => output.off('resize', listener);
    },
  };
}

/** Ctrl-]: leaves an interactive session, as in telnet and virsh console. */
const ESCAPE_KEY = 0x1d;
/**
 * Turns off the terminal modes a program in the guest may have turned on and not off when its
 * session ended under it (left with Ctrl-], hung up, or killed): bracketed paste (DECSET 2004),
 * application cursor keys (DECCKM, 1) and keypad (DECKPNM, `ESC >`), mouse tracking (9, 1000,
 * 1002, 1003) and its extended reports (1005, 1006, 1015), focus events (1004), insert mode
 * (IRM, `CSI 4 l`); and puts back line wrapping (DECAWM, 7), the visible cursor (DECTCEM, 25)
 * and the default colours (SGR 0), as `reset`-less terminal multiplexers do on detach. The
 * alternate screen is left to whoever draws next: the menu draws on it again, `run` never used it.
 */
export const TERMINAL_MODES_OFF = '\u001B[?2004l\u001B[?1l\u001B>\u001B[?9l\u001B[?1000l\u001B[?1002l\u001B[?1003l\u001B[?1005l\u001B[?1006l\u001B[?1015l\u001B[?1004l\u001B[4l\u001B[?7h\u001B[?25h\u001B[0m';

/** What a terminal in bracketed-paste mode (DECSET 2004) puts around pasted text. */
const PASTE_START = Buffer.from('\u001B[200~');
const PASTE_END = Buffer.from('\u001B[201~');

/**
 * A stream that emits Buffers again, whoever set its encoding: Ink sets stdin's to UTF-8 and
 * leaves it so after unmounting, and a decoded stream would hand an interactive session
 * strings (bytes that are not UTF-8 replaced) instead of the bytes typed. Readable has no
 * public way to unset an encoding, so the decoder Readable#setEncoding installed is taken out
 * again (Node keeps it in `_readableState.decoder`/`encoding`, both settable since Node 14).
 */
export function takeBytes(stream: Readable): void {
  if (stream.readableEncoding === null) return;
  const state = (stream as unknown as { _readableState?: { decoder: unknown; encoding: unknown } })._readableState;
  if (!state) return;
  state.decoder = null;
  state.encoding = null;
}

/** How many bytes at the end of `bytes` begin `marker` (but are not all of it). */
function partialMarker(bytes: Buffer, marker: Buffer): number {
  for (let length = Math.min(marker.length - 1, bytes.length); length >= 2; length--) {
    if (bytes.subarray(bytes.length - length).equals(marker.subarray(0, length))) return length;
  }
  return 0;
}

/**
 * The user's keys for an interactive session: the bytes to pass to the guest, and whether the
 * escape key (Ctrl-]) was pressed. Ctrl-] counts only as a key of its own: inside a bracketed
 * paste its byte is pasted text like any other, passed on. Strings (a stream someone set an
 * encoding on) are turned back into bytes in that encoding.
 */
export class TerminalInput {
  private pasting = false;
  /** The start of a paste marker at the end of the last chunk, held until the next one shows what it is. */
  private held = Buffer.alloc(0);

  constructor(private readonly encoding: BufferEncoding = 'utf8') {}

  read(chunk: Buffer | string): { bytes: Buffer; escape: boolean } {
    const incoming = typeof chunk === 'string' ? Buffer.from(chunk, this.encoding) : chunk;
    const data = this.held.length > 0 ? Buffer.concat([this.held, incoming]) : incoming;
    this.held = Buffer.alloc(0);
    let at = 0;
    while (at < data.length) {
      if (this.pasting) {
        const end = data.indexOf(PASTE_END, at);
        if (end < 0) break;
        this.pasting = false;
        at = end + PASTE_END.length;
        continue;
      }
      const start = data.indexOf(PASTE_START, at);
      const escape = data.indexOf(ESCAPE_KEY, at);
      if (escape >= 0 && (start < 0 || escape < start)) return { bytes: data.subarray(0, escape), escape: true };
      if (start < 0) break;
      this.pasting = true;
      at = start + PASTE_START.length;
    }
    const hold = partialMarker(data, this.pasting ? PASTE_END : PASTE_START);
    if (hold > 0) {
      this.held = Buffer.from(data.subarray(data.length - hold));
      return { bytes: data.subarray(0, data.length - hold), escape: false };
    }
    return { bytes: data, escape: false };
  }
}
