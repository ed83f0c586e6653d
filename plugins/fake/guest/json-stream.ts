/** The byte a client sends to make the agent drop whatever partial input it holds (a resync). */
export const RESYNC_BYTE = 0xff;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;

/** guest-file-write carries base64 payloads; anything far larger is a runaway client. */
const MAX_OBJECT_BYTES = 64 * 1024 * 1024;

export type JsonStreamEvent = { kind: 'object'; text: string } | { kind: 'junk'; reason: string };

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * Splits the agent's input byte stream into top-level JSON objects the way qemu-ga's
 * streaming lexer does: objects need no separator and may arrive in any pieces; bytes outside
 * an object are junk, reported once per line; 0xFF (which never occurs in UTF-8) discards any partial input. Works on
 * bytes so that braces inside multi-byte strings cannot confuse it.
 */
export class JsonObjectStream {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private size = 0;
  private junk = false;

  push(chunk: Buffer): JsonStreamEvent[] {
    const events: JsonStreamEvent[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i] as number;
      if (byte === RESYNC_BYTE) {
        this.reset();
        start = -1;
        continue;
      }
      if (this.depth === 0) {
        if (byte === OPEN_BRACE) {
          this.flushJunk(events);
          this.depth = 1;
          start = i;
        } else if (byte === NEWLINE) {
          // A run of junk is reported once per line, not once per word.
          this.flushJunk(events);
        } else if (!isWhitespace(byte)) {
          this.junk = true;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        continue;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth += 1;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.depth === 0) {
          const text = Buffer.concat([...this.parts, chunk.subarray(start, i + 1)]).toString('utf8');
          this.parts = [];
          this.size = 0;
          start = -1;
          events.push({ kind: 'object', text });
        }
      }
    }
    if (this.depth > 0 && start >= 0) {
      this.parts.push(chunk.subarray(start));
      this.size += chunk.length - start;
      if (this.size > MAX_OBJECT_BYTES) {
        this.reset();
        events.push({ kind: 'junk', reason: 'JSON object too large' });
      }
    }
    return events;
  }

  private flushJunk(events: JsonStreamEvent[]): void {
    if (!this.junk) return;
    this.junk = false;
    events.push({ kind: 'junk', reason: 'JSON parse error, invalid input' });
  }

  private reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.parts = [];
    this.size = 0;
    this.junk = false;
  }
}
