import type { Duplex } from 'node:stream';

/**
 * Just enough of the guest agent protocol for the plugin's tests (the real client is the
 * qga plugin): resync with 0xFF + guest-sync-delimited, then one command at a time.
 */
export class TestQgaClient {
  private buffer = Buffer.alloc(0);
  private waiter?: () => void;

  constructor(private readonly channel: Duplex) {
    channel.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
  }

  async sync(timeoutMs: number): Promise<void> {
    const id = Math.floor(Math.random() * 1e9);
    this.channel.write(Buffer.concat([Buffer.from([0xff]), Buffer.from(`${JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } })}\n`)]));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const marker = this.buffer.lastIndexOf(0xff);
      if (marker >= 0) {
        const rest = this.buffer.subarray(marker + 1).toString('utf8');
        const newline = rest.indexOf('\n');
        if (newline >= 0) {
          const reply = JSON.parse(rest.slice(0, newline)) as { return?: number };
          this.buffer = Buffer.from(rest.slice(newline + 1), 'utf8');
          if (reply.return === id) return;
        }
      }
      await this.wait(deadline, 'guest-sync-delimited');
    }
  }

  async call<T>(command: string, args?: Record<string, unknown>, timeoutMs = 10_000): Promise<T> {
    this.channel.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}) })}\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline >= 0) {
        const line = this.buffer.subarray(0, newline).toString('utf8').trim();
        this.buffer = this.buffer.subarray(newline + 1);
        if (!line) continue;
        const reply = JSON.parse(line) as { return?: T; error?: { desc: string } };
        if (reply.error) throw new Error(`${command}: ${reply.error.desc}`);
        return reply.return as T;
      }
      await this.wait(deadline, command);
    }
  }

  /** Runs a program and returns its exit code and stdout. */
  async exec(path: string, args: string[] = []): Promise<{ exitCode: number; stdout: string }> {
    const { pid } = await this.call<{ pid: number }>('guest-exec', { path, arg: args, 'capture-output': true });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = await this.call<{ exited: boolean; exitcode?: number; 'out-data'?: string }>('guest-exec-status', { pid });
      if (status.exited) return { exitCode: status.exitcode ?? -1, stdout: Buffer.from(status['out-data'] ?? '', 'base64').toString('utf8') };
      if (Date.now() > deadline) throw new Error(`${path} did not exit within 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.channel.destroy();
  }

  private wait(deadline: number, what: string): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new Error(`${what}: no answer from the guest agent in time`));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, Math.min(left, 250));
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
    });
  }
}
