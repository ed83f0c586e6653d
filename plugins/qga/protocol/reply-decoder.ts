import { isJsonObject, type JsonObject } from './json.js';

const NEWLINE = 0x0a;
/** The agent writes 0xFF before a `guest-sync-delimited` reply; it can never occur inside UTF-8 JSON. */
export const DELIMITER = 0xff;
/** The agent caps a request at 64 MiB of JSON; a longer run without a newline is noise. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Turns the agent's byte stream into reply objects. Replies end with a newline but may arrive
 * split across reads or several in one read; a serial line also carries boot noise and the
 * remains of replies cut off by a reconnect, which are dropped rather than failing the session.
 */
export class ReplyDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): JsonObject[] {
    const messages: JsonObject[] = [];
    let start = 0;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (byte === DELIMITER) {
        // Whatever came before the delimiter belongs to nothing we still wait for.
        this.reset();
        start = index + 1;
      } else if (byte === NEWLINE) {
        this.append(chunk.subarray(start, index));
        const message = parseLine(this.take());
        if (message) messages.push(message);
        start = index + 1;
      }
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
    if (this.pendingBytes > MAX_LINE_BYTES) this.reset();
    return messages;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // Copy: the stream may reuse the chunk's memory after the handler returns.
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
  }

  private take(): Buffer {
    const line = Buffer.concat(this.pending, this.pendingBytes);
    this.reset();
    return line;
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

function parseLine(bytes: Buffer): JsonObject | undefined {
  const text = bytes.toString('utf8').trim();
  if (text === '') return undefined;
  const parsed = tryParse(text);
  if (parsed) return parsed;
  // Boot noise can share a line with the reply that follows it.
  const brace = text.indexOf('{');
  return brace > 0 ? tryParse(text.slice(brace)) : undefined;
}

function tryParse(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
