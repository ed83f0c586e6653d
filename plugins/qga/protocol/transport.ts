import { randomInt } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { isTwinboxError, type PluginLogger, type TwinboxError } from 'twinbox/plugin-api';
import { agentCancelled, agentDisconnected, agentError, agentTimeout } from './errors.js';
import { isJsonObject, stringField, type JsonObject } from './json.js';
import { DELIMITER, ReplyDecoder } from './reply-decoder.js';
import { traceArguments } from './trace.js';

export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** A running agent answers a sync in milliseconds; the first attempts stay short so a reply lost to a reconnect costs little. */
const FIRST_SYNC_ATTEMPT_MS = 500;
const MAX_SYNC_ATTEMPT_MS = 4_000;
/** Bounded so that a channel which never reports its closing cannot hang `close()`. */
const CLOSE_GRACE_MS = 1_000;

export interface RequestOptions {
  timeoutMs?: number;
}

/** What the command helpers need from a transport; lets them be driven by anything that answers calls. */
export interface QgaCaller {
  call(command: string, args?: JsonObject, options?: RequestOptions): Promise<unknown>;
}

export interface TransportOptions {
  defaultTimeoutMs?: number;
  logger?: PluginLogger;
}

interface Waiter {
  accept(message: JsonObject): boolean;
  resolve(message: JsonObject): void;
  reject(error: TwinboxError): void;
}

function isTimeout(error: unknown): boolean {
  return isTwinboxError(error) && error.code === 'guest-agent-timeout';
}

function isDisconnect(error: unknown): boolean {
  return isTwinboxError(error) && error.code === 'guest-agent-disconnected';
}

function encode(command: string, args?: JsonObject): Buffer {
  const request = args === undefined ? { execute: command } : { execute: command, arguments: args };
  return Buffer.from(`${JSON.stringify(request)}\n`, 'utf8');
}

function isReply(message: JsonObject): boolean {
  return 'return' in message || 'error' in message;
}

/**
 * The QGA wire protocol over one byte stream. Replies carry no request id, so the only way
 * to pair a reply with its request is to have a single request in flight and to resync
 * (0xFF + `guest-sync-delimited`) whenever a reply might still be on its way: on connect,
 * after a timeout and after a command that never answers.
 */
export class QgaTransport implements QgaCaller {
  private readonly decoder = new ReplyDecoder();
  private readonly defaultTimeoutMs: number;
  private readonly logger?: PluginLogger;
  private waiter: Waiter | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closedError: TwinboxError | undefined;
  private needsResync = true;

  constructor(
    private readonly channel: Duplex,
    options: TransportOptions = {},
  ) {
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.logger = options.logger;
    channel.on('data', this.onData);
    channel.on('end', this.onEnd);
    channel.on('close', this.onEnd);
    // Without a listener an I/O error would crash the process instead of failing the calls.
    channel.on('error', this.onError);
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** The first handshake; retried within `timeoutMs` because a booting guest answers late. */
  connect(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.exclusive(() => this.resync(timeoutMs, signal));
  }

  call(command: string, args?: JsonObject, options: RequestOptions = {}): Promise<unknown> {
    const timeoutMs = Math.max(1, options.timeoutMs ?? this.defaultTimeoutMs);
    return this.exclusive(async () => {
      if (this.needsResync) await this.resync(timeoutMs);
      const message = await this.exchange(command, args, timeoutMs);
      return this.unwrap(command, message);
    });
  }

  /**
   * For commands the agent answers only on failure (`guest-shutdown`): a silence of
   * `silenceMs` or the channel closing counts as accepted.
   */
  send(command: string, args: JsonObject | undefined, silenceMs: number): Promise<void> {
    return this.exclusive(async () => {
      if (this.needsResync) await this.resync(this.defaultTimeoutMs);
      try {
        const message = await this.exchange(command, args, silenceMs);
        this.unwrap(command, message);
      } catch (error) {
        if (isTimeout(error) || isDisconnect(error)) return;
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    this.markClosed();
    if (this.channel.closed) return;
    const closed = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_GRACE_MS);
      timer.unref();
      this.channel.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.channel.destroy();
    await closed;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closedError) throw this.closedError;
      return task();
    });
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async exchange(command: string, args: JsonObject | undefined, timeoutMs: number): Promise<JsonObject> {
    const reply = this.awaitMessage(isReply, timeoutMs, command);
    // A trace of what twinbox asks the guest, for debug logs; secrets never reach it.
    this.logger?.debug('qga: request', { command, ...(args === undefined ? {} : { arguments: traceArguments(args) }) });
    this.write(encode(command, args));
    try {
      return await reply;
    } catch (error) {
      // The reply may still come and would be taken for the next command's.
      if (isTimeout(error)) this.needsResync = true;
      throw error;
    }
  }

  private unwrap(command: string, message: JsonObject): unknown {
    const error = message.error;
    if (isJsonObject(error)) {
      throw agentError(command, stringField(error, 'class') ?? 'GenericError', stringField(error, 'desc') ?? `${command} failed`);
    }
    if (error !== undefined) throw agentError(command, 'GenericError', `${command} failed`);
    return message.return;
  }

  private async resync(totalMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + totalMs;
    let attemptMs = FIRST_SYNC_ATTEMPT_MS;
    for (;;) {
      // Only the newest id counts: replies to earlier attempts are as stale as any other.
      const id = randomInt(1, 2 ** 47);
      const remaining = Math.max(1, deadline - Date.now());
      const reply = this.awaitMessage((message) => message.return === id, Math.min(attemptMs, remaining), 'guest-sync-delimited', signal);
      // The leading 0xFF makes the agent drop any half-read request left by an earlier client.
      this.write(Buffer.concat([Buffer.from([DELIMITER]), encode('guest-sync-delimited', { id })]));
      try {
        await reply;
        this.needsResync = false;
        return;
      } catch (error) {
        if (!isTimeout(error)) throw error;
        if (Date.now() >= deadline) throw agentTimeout('guest-sync-delimited', totalMs);
        attemptMs = Math.min(attemptMs * 2, MAX_SYNC_ATTEMPT_MS);
      }
    }
  }

  private awaitMessage(accept: (message: JsonObject) => boolean, timeoutMs: number, command: string, signal?: AbortSignal): Promise<JsonObject> {
    return new Promise<JsonObject>((resolve, reject) => {
      if (this.closedError) {
        reject(this.closedError);
        return;
      }
      if (signal?.aborted) {
        reject(agentCancelled(signal.reason));
        return;
      }
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.waiter === waiter) this.waiter = undefined;
      };
      const waiter: Waiter = {
        accept,
        resolve: (message) => {
          cleanup();
          resolve(message);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.reject(agentCancelled(signal?.reason));
      const timer = setTimeout(() => waiter.reject(agentTimeout(command, timeoutMs, { command })), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = waiter;
    });
  }

  /** Never throws: a dead channel fails the waiting call through `markClosed` instead. */
  private write(bytes: Buffer): void {
    if (this.closedError) return;
    if (!this.channel.writable) {
      this.markClosed();
      return;
    }
    this.channel.write(bytes);
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (const message of this.decoder.push(bytes)) {
      const waiter = this.waiter;
      if (waiter?.accept(message)) waiter.resolve(message);
      else this.logger?.debug('qga: discarded a reply nobody waits for', { reply: JSON.stringify(message).slice(0, 200) });
    }
  };

  private readonly onEnd = (): void => this.markClosed();

  private readonly onError = (error: Error): void => this.markClosed(error);

  private markClosed(cause?: unknown): void {
    if (this.closedError) return;
    this.closedError = agentDisconnected(cause);
    this.channel.off('data', this.onData);
    this.waiter?.reject(this.closedError);
  }
}
