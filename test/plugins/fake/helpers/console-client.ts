import { readdir, readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { ExecutionContext } from 'ava';
import type { VmRef } from 'twinbox/plugin-api';
import type { FakeHypervisor } from '../../../../plugins/fake/index.js';

/** The host end of a console port: everything it received, and a wait for what a test expects. */
export class ConsoleClient {
  received = '';
  closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('utf8');
      for (const waiter of this.waiters) waiter();
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      this.closed = true;
      for (const waiter of this.waiters) waiter();
    });
  }

  static async open(t: ExecutionContext, fake: FakeHypervisor, vm: VmRef, index: number): Promise<ConsoleClient> {
    const client = new ConsoleClient(await fake.openChannel(vm, `console${index}`));
    t.teardown(() => client.close());
    return client;
  }

  write(data: string | Buffer): void {
    this.stream.write(data);
  }

  /** Resolves once everything received so far matches; rejects with what did arrive after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.received.match(pattern);
        if (match) {
          done();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${pattern} on the console; received ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.stream.destroy();
  }
}

/** The pids of `parent`'s children running `name`, from /proc. */
export async function childrenNamed(parent: number, name: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === name && ppid === parent) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
