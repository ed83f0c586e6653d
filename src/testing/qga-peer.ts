import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * An in-process stand-in for qemu-ga on a real unix socket, for tests of guest-agent
 * clients. It speaks the wire protocol (0xFF resync, newline-framed JSON, no request ids),
 * runs `guest-exec` programs as host processes with TWINBOX_GUEST_ROOT set to `root`, and
 * maps file paths under `root`. Hooks let a test mangle the byte stream the way a serial line
 * or a slow guest does.
 */

type JsonObject = { [key: string]: unknown };

const DELIMITER = 0xff;

export class QgaPeerError extends Error {
  constructor(
    readonly errorClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** Returned by a handler for a command the agent does not answer (`guest-shutdown`). */
export const NO_REPLY: unique symbol = Symbol('no reply');

export interface QgaPeerRequest {
  command: string;
  arguments: JsonObject;
  /** Which accepted connection it came on, counted from 1. */
  connection: number;
}

export type QgaPeerHandler = (args: JsonObject, request: QgaPeerRequest) => unknown | typeof NO_REPLY | Promise<unknown>;

export interface QgaPeerReply extends QgaPeerRequest {
  /** The bytes the agent would write, newline and 0xFF prefix included. */
  bytes: Buffer;
}

export interface QgaReplyPlan {
  /** Say nothing (a reply lost or an agent that hangs). */
  drop?: boolean;
  /** Wait before replying; later replies queue behind this one, as with the real single-threaded agent. */
  delayMs?: number;
  /** Write these instead of `bytes` as separate writes, `gapMs` apart (split replies, garbage). */
  chunks?: Buffer[];
  gapMs?: number;
  /** Keep the bytes and send them in one write with the next reply (merged replies). */
  holdForNext?: boolean;
}

export interface QgaPeerOptions {
  /** Folder that stands for the guest's `/`; a temporary one when omitted. */
  root?: string;
  /** Listen on this unix socket (where a VM's serial port would be) instead of a private one. */
  socketPath?: string;
  hostName?: string;
  version?: string;
  osInfo?: JsonObject;
  /** Each connection's input is held this long before the agent reads it (a guest still booting). */
  bootDelayMs?: number;
  /** Answer a stray 0xFF with a parse error, as some agent versions do. */
  errorOnDelimiter?: boolean;
  /** Close the connection this long after `guest-shutdown`, as a powering-off guest does. */
  closeAfterShutdownMs?: number;
  /** Added or replacing command handlers. */
  handlers?: Record<string, QgaPeerHandler>;
  onReply?: (reply: QgaPeerReply) => QgaReplyPlan | undefined;
}

interface ExecRecord {
  child: ChildProcess;
  exited: boolean;
  exitCode: number | null;
  signal: number | null;
  stdout: Buffer[];
  stderr: Buffer[];
  capture: boolean;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function replyBytes(body: JsonObject, delimited = false): Buffer {
  const line = Buffer.from(`${JSON.stringify(body)}\n`, 'utf8');
  return delimited ? Buffer.concat([Buffer.from([DELIMITER]), line]) : line;
}

export class QgaPeer {
  /** Every request the agent parsed, in order. */
  readonly received: QgaPeerRequest[] = [];
  /** Modes of the `guest-shutdown` requests received. */
  readonly shutdowns: string[] = [];
  /** The most requests ever waiting for a reply at once; above 1 means the client did not wait. */
  maxOutstanding = 0;

  private readonly sockets = new Set<Socket>();
  private readonly processes = new Map<number, ExecRecord>();
  private readonly files = new Map<number, FileHandle>();
  private nextHandle = 1000;
  private connections = 0;
  private outstanding = 0;

  private constructor(
    readonly socketPath: string,
    readonly root: string,
    private readonly server: Server,
    private readonly ownedDir: string,
    private readonly options: QgaPeerOptions,
  ) {}

  static async start(options: QgaPeerOptions = {}): Promise<QgaPeer> {
    const dir = await mkdtemp(join(tmpdir(), 'qga-peer-'));
    const root = options.root ?? join(dir, 'root');
    await mkdir(root, { recursive: true });
    const socketPath = options.socketPath ?? join(dir, 'qga.sock');
    const server = createServer();
    const peer = new QgaPeer(socketPath, root, server, dir, options);
    server.on('connection', (socket) => peer.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    return peer;
  }

  /** A client end of a new connection, as a hypervisor's `openChannel` would return. */
  openChannel(): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.socketPath);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  /** Writes raw bytes to every open connection (noise on the line). */
  inject(bytes: Buffer): void {
    for (const socket of this.sockets) socket.write(bytes);
  }

  /** Cuts every connection from the agent's side (the VM went away). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    this.dropConnections();
    for (const record of this.processes.values()) if (!record.exited) record.child.kill('SIGKILL');
    for (const file of this.files.values()) await file.close().catch(() => undefined);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.socketPath, { force: true });
    await rm(this.ownedDir, { recursive: true, force: true });
  }

  private accept(socket: Socket): void {
    const connection = ++this.connections;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let ready = !this.options.bootDelayMs;
    let chain: Promise<void> = Promise.resolve();
    let held: Buffer | undefined;

    const write = (bytes: Buffer): void => {
      if (!socket.destroyed) socket.write(bytes);
    };
    const sendReply = async (request: QgaPeerRequest, bytes: Buffer): Promise<void> => {
      const plan = this.options.onReply?.({ ...request, bytes }) ?? {};
      if (plan.delayMs) await delay(plan.delayMs);
      if (plan.drop) return;
      if (plan.holdForNext) {
        held = held ? Buffer.concat([held, bytes]) : bytes;
        return;
      }
      const chunks = plan.chunks ?? [bytes];
      if (held) {
        chunks[0] = Buffer.concat([held, chunks[0] ?? Buffer.alloc(0)]);
        held = undefined;
      }
      for (const [index, chunk] of chunks.entries()) {
        if (index > 0) await delay(plan.gapMs ?? 5);
        write(chunk);
      }
    };
    const handleLine = (line: Buffer): void => {
      const text = line.toString('utf8').trim();
      if (text === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        write(replyBytes({ error: { class: 'GenericError', desc: 'JSON parse error' } }));
        return;
      }
      if (!isObject(parsed) || typeof parsed.execute !== 'string') {
        write(replyBytes({ error: { class: 'GenericError', desc: "Expected 'execute' in QMP input" } }));
        return;
      }
      const request: QgaPeerRequest = { command: parsed.execute, arguments: isObject(parsed.arguments) ? parsed.arguments : {}, connection };
      this.received.push(request);
      this.outstanding++;
      this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
      chain = chain.then(async () => {
        const bytes = await this.execute(request, socket);
        if (bytes) await sendReply(request, bytes);
        this.outstanding--;
      });
    };
    const drain = (): void => {
      let start = 0;
      for (let index = 0; index < buffer.length; index++) {
        if (buffer[index] === DELIMITER) {
          if (this.options.errorOnDelimiter) write(replyBytes({ error: { class: 'GenericError', desc: 'JSON parse error, stray \'\\xff\'' } }));
          start = index + 1;
        } else if (buffer[index] === 0x0a) {
          handleLine(buffer.subarray(start, index));
          start = index + 1;
        }
      }
      buffer = Buffer.from(buffer.subarray(start));
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (ready) drain();
    });
    if (!ready) {
      setTimeout(() => {
        ready = true;
        drain();
      }, this.options.bootDelayMs).unref();
    }
  }

  private async execute(request: QgaPeerRequest, socket: Socket): Promise<Buffer | undefined> {
    const handler = this.options.handlers?.[request.command] ?? this.builtin(request.command);
    if (!handler) return replyBytes({ error: { class: 'CommandNotFound', desc: `The command ${request.command} has not been found` } });
    try {
      const result = await handler(request.arguments, request);
      if (result === NO_REPLY) {
        if (request.command === 'guest-shutdown' && this.options.closeAfterShutdownMs !== undefined) {
          setTimeout(() => socket.destroy(), this.options.closeAfterShutdownMs).unref();
        }
        return undefined;
      }
      return replyBytes({ return: result ?? {} }, request.command === 'guest-sync-delimited');
    } catch (error) {
      const errorClass = error instanceof QgaPeerError ? error.errorClass : 'GenericError';
      return replyBytes({ error: { class: errorClass, desc: error instanceof Error ? error.message : String(error) } });
    }
  }

  private builtin(command: string): QgaPeerHandler | undefined {
    const handlers: Record<string, QgaPeerHandler> = {
      'guest-sync-delimited': (args) => args.id,
      'guest-sync': (args) => args.id,
      'guest-ping': () => ({}),
      'guest-info': () => ({
        version: this.options.version ?? '8.2.0',
        supported_commands: [...new Set([...Object.keys(handlers), ...Object.keys(this.options.handlers ?? {})])].map((name) => ({
          name,
          enabled: true,
          'success-response': name !== 'guest-shutdown',
        })),
      }),
      'guest-get-osinfo': () =>
        this.options.osInfo ?? {
          id: 'debian',
          name: 'Debian GNU/Linux',
          'pretty-name': 'Debian GNU/Linux 12 (bookworm)',
          version: '12 (bookworm)',
          'version-id': '12',
          'kernel-release': '6.1.0-13-amd64',
          machine: 'x86_64',
        },
      'guest-get-host-name': () => ({ 'host-name': this.options.hostName ?? 'qga-peer' }),
      'guest-shutdown': (args) => {
        this.shutdowns.push(typeof args.mode === 'string' ? args.mode : 'powerdown');
        return NO_REPLY;
      },
      'guest-exec': (args) => this.exec(args),
      'guest-exec-status': (args) => this.execStatus(args),
      'guest-file-open': (args) => this.fileOpen(args),
      'guest-file-read': (args) => this.fileRead(args),
      'guest-file-write': (args) => this.fileWrite(args),
      'guest-file-close': (args) => this.fileClose(args),
    };
    return handlers[command];
  }

  private guestPath(path: unknown): string {
    if (typeof path !== 'string' || !isAbsolute(path)) throw new QgaPeerError('GenericError', "Invalid parameter 'path'");
    return join(this.root, path);
  }

  private exec(args: JsonObject): Promise<JsonObject> {
    if (typeof args.path !== 'string') throw new QgaPeerError('GenericError', "Parameter 'path' is missing");
    const argv = Array.isArray(args.arg) ? args.arg.map(String) : [];
    const env: NodeJS.ProcessEnv = { ...process.env, TWINBOX_GUEST_ROOT: this.root };
    if (Array.isArray(args.env)) {
      for (const entry of args.env.map(String)) {
        const equals = entry.indexOf('=');
        if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
      }
    }
    const capture = args['capture-output'] === true;
    const child = spawn(args.path, argv, { env, stdio: ['pipe', capture ? 'pipe' : 'ignore', capture ? 'pipe' : 'ignore'] });
    const record: ExecRecord = { child, exited: false, exitCode: null, signal: null, stdout: [], stderr: [], capture };
    child.stdout?.on('data', (chunk: Buffer) => record.stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => record.stderr.push(chunk));
    child.stdin?.on('error', () => undefined);
    if (typeof args['input-data'] === 'string') child.stdin?.end(Buffer.from(args['input-data'], 'base64'));
    else child.stdin?.end();
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        const pid = child.pid ?? 0;
        this.processes.set(pid, record);
        resolve({ pid });
      });
      child.once('error', (error) => reject(new QgaPeerError('GenericError', `Failed to execute child process "${String(args.path)}" (${error.message})`)));
      // 'close' rather than 'exit': the output pipes are drained by then.
      child.once('close', (code, signal) => {
        record.exited = true;
        record.exitCode = code;
        record.signal = signal ? (SIGNAL_NUMBERS[signal] ?? 0) : null;
      });
    });
  }

  private execStatus(args: JsonObject): JsonObject {
    const pid = typeof args.pid === 'number' ? args.pid : -1;
    const record = this.processes.get(pid);
    if (!record) throw new QgaPeerError('GenericError', "Invalid parameter 'pid'");
    if (!record.exited) return { exited: false };
    this.processes.delete(pid);
    const status: JsonObject = { exited: true };
    if (record.signal !== null) status.signal = record.signal;
    else status.exitcode = record.exitCode;
    if (record.capture) {
      status['out-data'] = Buffer.concat(record.stdout).toString('base64');
      status['err-data'] = Buffer.concat(record.stderr).toString('base64');
    }
    return status;
  }

  private async fileOpen(args: JsonObject): Promise<number> {
    const mode = typeof args.mode === 'string' ? args.mode : 'r';
    try {
      const file = await open(this.guestPath(args.path), mode);
      const handle = this.nextHandle++;
      this.files.set(handle, file);
      return handle;
    } catch (error) {
      if (error instanceof QgaPeerError) throw error;
      throw new QgaPeerError('GenericError', `failed to open file '${String(args.path)}' (mode: '${mode}'): ${(error as Error).message}`);
    }
  }

  private file(args: JsonObject): FileHandle {
    const file = typeof args.handle === 'number' ? this.files.get(args.handle) : undefined;
    if (!file) throw new QgaPeerError('GenericError', `handle '${String(args.handle)}' has not been found`);
    return file;
  }

  private async fileRead(args: JsonObject): Promise<JsonObject> {
    const count = typeof args.count === 'number' ? args.count : 4096;
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await this.file(args).read(buffer, 0, count, null);
    return { count: bytesRead, 'buf-b64': buffer.subarray(0, bytesRead).toString('base64'), eof: bytesRead < count };
  }

  private async fileWrite(args: JsonObject): Promise<JsonObject> {
    const data = Buffer.from(typeof args['buf-b64'] === 'string' ? args['buf-b64'] : '', 'base64');
    const { bytesWritten } = await this.file(args).write(data, 0, data.length, null);
    return { count: bytesWritten, eof: false };
  }

  private async fileClose(args: JsonObject): Promise<JsonObject> {
    const file = this.file(args);
    this.files.forEach((open, handle) => {
      if (open === file) this.files.delete(handle);
    });
    await file.close();
    return {};
  }
}
