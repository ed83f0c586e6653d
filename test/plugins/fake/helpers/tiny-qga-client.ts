import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

export class QgaReplyError extends Error {
  constructor(
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`${errorClass}: ${desc}`);
  }
}

type Reply = { return?: unknown; error?: { class: string; desc: string } };

/**
 * Just enough of a QEMU guest agent client to test the fake's agent on the wire: resync with
 * 0xFF + guest-sync-delimited, one request at a time, replies framed by newline, junk lines
 * skipped (and kept, so tests can see them).
 */
export class TinyQgaClient {
  /** Bytes received and not consumed yet. */
  private pending = Buffer.alloc(0);
  private readonly listeners = new Set<() => void>();
  /** Everything ever received, raw. */
  received = Buffer.alloc(0);
  readonly junkLines: string[] = [];
  closed = false;

  constructor(readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      this.received = Buffer.concat([this.received, chunk]);
      for (const listener of this.listeners) listener();
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      this.closed = true;
      for (const listener of this.listeners) listener();
    });
  }

  static connect(socketPath: string): Promise<TinyQgaClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TinyQgaClient(socket));
      });
    });
  }

  write(data: string | Buffer): void {
    this.stream.write(data);
  }

  /** Waits until `extract` finds what it wants in the pending bytes. */
  private waitFor<T>(extract: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = extract();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (this.closed) {
          done();
          reject(new Error(`connection closed while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  async sync(id = Math.floor(Math.random() * 1_000_000), timeoutMs = 5_000): Promise<number> {
    this.write(Buffer.concat([Buffer.from([0xff]), Buffer.from(`{"execute":"guest-sync-delimited","arguments":{"id":${id}}}\n`)]));
    return this.waitFor(
      () => {
        for (;;) {
          const marker = this.pending.indexOf(0xff);
          if (marker < 0) {
            this.noteJunk(this.pending);
            this.pending = Buffer.alloc(0);
            return undefined;
          }
          this.noteJunk(this.pending.subarray(0, marker));
          const newline = this.pending.indexOf(0x0a, marker);
          if (newline < 0) {
            this.pending = this.pending.subarray(marker);
            return undefined;
          }
          const line = this.pending.subarray(marker + 1, newline).toString('utf8');
          this.pending = this.pending.subarray(newline + 1);
          try {
            if ((JSON.parse(line) as Reply).return === id) return id;
          } catch {
            this.junkLines.push(line);
          }
        }
      },
      timeoutMs,
      `guest-sync-delimited ${id}`,
    );
  }

  /** The next line that is a JSON reply; lines that are not are recorded as junk. */
  nextReply(timeoutMs = 5_000): Promise<Reply> {
    return this.waitFor(
      () => {
        for (;;) {
          const newline = this.pending.indexOf(0x0a);
          if (newline < 0) return undefined;
          // A 0xFF before a line marks a guest-sync-delimited reply; it is not part of the JSON.
          const line = Buffer.from(this.pending.subarray(0, newline).filter((byte) => byte !== 0xff)).toString('utf8');
          this.pending = this.pending.subarray(newline + 1);
          try {
            const reply = JSON.parse(line) as Reply;
            if (typeof reply === 'object' && reply !== null && ('return' in reply || 'error' in reply)) return reply;
          } catch {
            // junk
          }
          this.junkLines.push(line);
        }
      },
      timeoutMs,
      'a reply',
    );
  }

  async call<T = unknown>(execute: string, args?: Record<string, unknown>, timeoutMs = 5_000): Promise<T> {
    this.write(`${JSON.stringify(args === undefined ? { execute } : { execute, arguments: args })}\n`);
    const reply = await this.nextReply(timeoutMs);
    if (reply.error) throw new QgaReplyError(reply.error.class, reply.error.desc);
    return reply.return as T;
  }

  /** Runs a program to completion through guest-exec / guest-exec-status. */
  async exec(path: string, args: string[] = [], extra: Record<string, unknown> = {}): Promise<ExecStatus> {
    const { pid } = await this.call<{ pid: number }>('guest-exec', { path, arg: args, 'capture-output': true, ...extra });
    for (;;) {
      const status = await this.call<ExecStatus>('guest-exec-status', { pid });
      if (status.exited) return status;
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  close(): void {
    this.stream.destroy();
  }

  private noteJunk(bytes: Buffer): void {
    if (bytes.length > 0) this.junkLines.push(bytes.toString('latin1'));
  }
}

export interface ExecStatus {
  exited: boolean;
  exitcode?: number;
  signal?: number;
  'out-data'?: string;
  'err-data'?: string;
}

export function decode(data: string | undefined): string {
  return Buffer.from(data ?? '', 'base64').toString('utf8');
}
