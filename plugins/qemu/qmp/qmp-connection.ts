import { createConnection, type Socket } from 'node:net';

export interface QmpEvent {
  event: string;
  data?: unknown;
}

/** QEMU answered a command with an error object, or the monitor went away. */
export class QmpError extends Error {
  constructor(
    /** QMP's error class ("GenericError", "CommandNotFound"…), or "Closed" / "Timeout". */
    readonly errorClass: string,
    message: string,
  ) {
    super(message);
    this.name = 'QmpError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One session on QEMU's monitor socket: greeting, `qmp_capabilities`, then commands that
 * carry ids. QEMU serves one client at a time, so sessions are short: open, ask, close.
 */
export class QmpConnection {
  readonly events: QmpEvent[] = [];
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private greeted?: (error?: Error) => void;
  private closed = false;
  private readonly eventWaiters = new Set<(event: QmpEvent) => void>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.fail(new QmpError('Closed', 'the QEMU monitor closed the connection')));
  }

  /** Connects and negotiates; a monitor held by another client never greets, hence the timeout. */
  static async open(socketPath: string, timeoutMs = 5_000): Promise<QmpConnection> {
    const socket = createConnection(socketPath);
    const connection = new QmpConnection(socket);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new QmpError('Timeout', `no greeting from the QEMU monitor within ${timeoutMs} ms (another client may hold it)`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new QmpError('Connect', error.message));
      });
      connection.greeted = (error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
    });
    await connection.execute('qmp_capabilities', undefined, timeoutMs);
    return connection;
  }

  execute(command: string, args?: Record<string, unknown>, timeoutMs = 10_000): Promise<unknown> {
    if (this.closed) return Promise.reject(new QmpError('Closed', 'the QEMU monitor connection is closed'));
    const id = `tb${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QmpError('Timeout', `${command} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id })}\n`);
    });
  }

  /** Resolves with the first event named `name` (already received or still to come). */
  waitForEvent(name: string, timeoutMs: number): Promise<QmpEvent | undefined> {
    const seen = this.events.find((event) => event.event === name);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = (event: QmpEvent) => {
        if (event.event !== name) return;
        clearTimeout(timer);
        this.eventWaiters.delete(waiter);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.eventWaiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      this.eventWaiters.add(waiter);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.handle(line);
    }
  }

  private handle(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    if (!isRecord(message)) return;
    if ('QMP' in message) {
      this.greeted?.();
      this.greeted = undefined;
      return;
    }
    if (typeof message.event === 'string') {
      const event: QmpEvent = { event: message.event, data: message.data };
      this.events.push(event);
      for (const waiter of [...this.eventWaiters]) waiter(event);
      return;
    }
    const id = typeof message.id === 'string' ? message.id : undefined;
    const pending = id ? this.pending.get(id) : undefined;
    if (!id || !pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (isRecord(message.error)) {
      pending.reject(new QmpError(String(message.error.class ?? 'GenericError'), String(message.error.desc ?? 'unknown error')));
    } else {
      pending.resolve(message.return);
    }
  }

  private fail(error: QmpError): void {
    this.closed = true;
    this.greeted?.(error);
    this.greeted = undefined;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }
}

/** Opens a session, runs `use`, always closes. */
export async function withQmp<T>(socketPath: string, use: (qmp: QmpConnection) => Promise<T>, timeoutMs?: number): Promise<T> {
  const qmp = await QmpConnection.open(socketPath, timeoutMs);
  try {
    return await use(qmp);
  } finally {
    qmp.close();
  }
}
