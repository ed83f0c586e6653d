import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often socat looks (seconds) whether someone has opened the terminal it made. */
const SLAVE_POLL_S = '0.05';
/** After the terminal's last user has closed it, how long socat lingers (seconds) before exiting. */
const LINGER_S = '0.05';
/** socat names the terminal within milliseconds; past this it is taken as broken. */
const READY_TIMEOUT_MS = 5_000;
/**
 * How long a program's exit waits for its output to reach the host: the terminal flushes as soon
 * as nothing holds it, but a program may leave something behind that does (a background job).
 */
const FLUSH_TIMEOUT_MS = 1_000;
const PTY_NOTICE = /\bPTY is (\/dev\/pts\/[0-9]+)\s*$/;
const TRANSFER_NOTICE = /\bstarting data transfer loop\b/;

export interface BridgeEvents {
  output(chunk: Buffer): void;
  /** The session is over (its terminal closed): the output is complete and the terminal goes away. */
  ended(pty: string | undefined): void;
  exited(): void;
  log(message: string): void;
}

/**
 * One socat process holding one pseudo-terminal for one session of a console port: socat owns
 * the master and copies it to and from its standard input and output (the port's host side);
 * a guest program opens the slave. Each session gets a fresh terminal, as a virtio console's
 * settings reset when its last user closes it.
 *
 * The guest holds the slave open itself ("keeper") from the moment socat names it: socat then
 * leaves its wait for a slave at once and reads its standard input, so it sees the pipe close
 * and exits when the guest process dies, however it dies. The keeper stays while the session has
 * not begun; a session begins with the first program that names the console and ends once
 * every such program has exited and nothing else holds the terminal: socat then reads EIO,
 * flushes, and exits.
 */
export class SocatBridge {
  /** The slave's path once socat has made it, the keeper holds it and socat copies; undefined when socat failed. */
  readonly ready: Promise<string | undefined>;
  /** Resolves after `events.exited` has run. */
  readonly exited: Promise<void>;
  /** Resolves once the session is over and socat has passed on all the terminal's output. */
  private readonly flushed: Promise<void>;
  private markFlushed: () => void = () => undefined;
  ending = false;
  private readonly child: ChildProcess;
  private keeper: FileHandle | undefined;
  private pty: string | undefined;
  private users = 0;
  private used = false;
  /** Killed unused when its host left: no program may have it. */
  private dismissed = false;

  constructor(socat: string, private readonly events: BridgeEvents) {
    // Only standard input and output: no shell, no paths in the address, nothing to quote.
    this.child = spawn(socat, ['-d', '-d', '-t', LINGER_S, `PTY,wait-slave,pty-interval=${SLAVE_POLL_S}`, 'STDIO'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.flushed = new Promise((resolve) => {
      this.markFlushed = resolve;
    });
    this.child.stdin?.on('error', () => undefined);
    this.child.stdout?.on('data', (chunk: Buffer) => events.output(chunk));
    this.child.stdout?.on('end', () => this.end());
    this.exited = new Promise((resolve) => {
      this.child.once('close', () => {
        this.end();
        void this.closeKeeper();
        events.exited();
        resolve();
      });
    });
    this.ready = this.awaitTerminal();
  }

  /**
   * The session has had its programs and they have all exited: whatever still holds the
   * terminal is what they left behind, and a new program is better served by the next one.
   */
  get over(): boolean {
    return this.ending || this.dismissed || (this.used && this.users === 0);
  }

  /** Bytes from the host, for the program on the terminal. */
  write(chunk: Buffer): void {
    if (!this.ending) this.child.stdin?.write(chunk);
  }

  /**
   * A program names the console: the session lasts at least until it calls the release it is
   * given, which resolves once what the program wrote has reached the host (at once while
   * other programs still hold the session).
   */
  hold(): () => Promise<void> {
    this.users += 1;
    this.used = true;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.users -= 1;
      if (this.users > 0) return;
      await this.closeKeeper();
      const timeout = new AbortController();
      await Promise.race([this.flushed, sleep(FLUSH_TIMEOUT_MS, undefined, { signal: timeout.signal }).catch(() => undefined)]);
      timeout.abort();
    };
  }

  /** The host went away: a terminal no session has used yet is not kept for nobody. */
  hostLeft(): void {
    if (this.used) return;
    this.dismissed = true;
    this.kill();
  }

  /** SIGTERM: socat closes its terminal and exits. */
  kill(): void {
    this.child.kill('SIGTERM');
  }

  private end(): void {
    if (this.ending) return;
    this.ending = true;
    this.markFlushed();
    this.events.ended(this.pty);
  }

  /**
   * Waits for socat to name the terminal, opens it as the keeper, and waits again until socat
   * has seen that and copies data: only then may the keeper close without leaving socat waiting
   * for a slave forever (deaf to its standard input meanwhile).
   */
  private async awaitTerminal(): Promise<string | undefined> {
    let pty: string | undefined;
    const transferring = await new Promise<boolean>((resolve) => {
      let text = '';
      let kept = false;
      let copying = false;
      const timer = setTimeout(() => finish(false), READY_TIMEOUT_MS);
      const finish = (value: boolean) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.child.once('error', (error) => {
        this.events.log(`socat could not run: ${error.message}`);
        finish(false);
      });
      this.child.once('close', () => finish(false));
      this.child.stderr?.setEncoding('utf8');
      this.child.stderr?.on('data', (chunk: string) => {
        const lines = (text + chunk).split('\n');
        text = lines.pop() ?? '';
        for (const line of lines) {
          const named = PTY_NOTICE.exec(line);
          if (named && !pty) {
            pty = named[1];
            this.openKeeper(named[1]).then(
              () => {
                kept = true;
                if (copying) finish(true);
              },
              (error: unknown) => {
                this.events.log(`cannot open ${named[1]}: ${(error as Error).message}`);
                finish(false);
              },
            );
          }
          if (TRANSFER_NOTICE.test(line)) {
            copying = true;
            if (kept) finish(true);
          }
          if (/ [EF] /.test(line)) this.events.log(`socat: ${line.trim()}`);
        }
      });
    });
    if (!transferring) {
      this.kill();
      return undefined;
    }
    this.pty = pty;
    return pty;
  }

  private async openKeeper(pty: string): Promise<void> {
    const keeper = await open(pty, constants.O_RDWR | constants.O_NOCTTY);
    if (this.ending) {
      await keeper.close();
      throw new Error('socat exited meanwhile');
    }
    this.keeper = keeper;
  }

  private async closeKeeper(): Promise<void> {
    const keeper = this.keeper;
    this.keeper = undefined;
    await keeper?.close().catch(() => undefined);
  }
}
