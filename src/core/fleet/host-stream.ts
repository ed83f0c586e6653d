/**
 * One long-lived `ssh HOST twinbox status --json --watch` per host of the fleet, read line by
 * line into its HostStreamState. A probe (`twinbox --version`, over the same shared master
 * connection) comes first and refuses a twinbox too old to drive; then an empty command over
 * that connection measures the round trip (again every 30 s while the stream is live).
 * When the stream drops it is started again after a backoff (1 s doubling to 30 s; 60 s for a
 * refusal that needs someone to act, such as a changed host key).
 */
import { createInterface } from 'node:readline';
import { isTwinboxError, TwinboxError } from '../../plugin-api/index.js';
import { pingHost, probeHost, remoteCommandWords, type RemoteRunOptions } from '../remote/run-remote.js';
import { parseHostAddress, sshFailure, sshInvocation, type SshHost } from '../remote/ssh-host.js';
import { applyLine, backoffMs, hostFailed, hostProbed, hostReconnecting, initialHostState, isRefusal, type HostProblem, type HostStreamState } from './host-stream-state.js';

export interface HostStreamOptions extends RemoteRunOptions {
  /** Between the host's reads of its workspaces (`--interval`), in ms. */
  intervalMs: number;
  /** Called after every change of the state. */
  onChange(state: HostStreamState): void;
}

/** How often a live host's round trip is measured again. */
const PING_EVERY_MS = 30_000;

function problemOf(error: unknown): HostProblem {
  if (isTwinboxError(error)) return { code: error.code, message: error.message, hint: error.hint };
  return { code: 'host-unreachable', message: (error as Error)?.message ?? String(error) };
}

export class HostStream {
  private current: HostStreamState;
  private stopped = false;
  private started = false;
  /** An attempt (probe or stream) is under way: retryNow leaves it be. */
  private connecting = false;
  /** Aborted by stop: ends a probe under way. */
  private readonly aborted = new AbortController();
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private child?: { kill(signal?: NodeJS.Signals): boolean };
  private closeStdio?: () => void;
  private readonly target?: SshHost;

  constructor(
    readonly name: string,
    readonly address: string,
    private readonly options: HostStreamOptions,
  ) {
    this.current = initialHostState(name, address);
    try {
      this.target = parseHostAddress(address);
    } catch (error) {
      this.current = hostFailed(this.current, problemOf(error), Date.now(), Number.POSITIVE_INFINITY);
    }
  }

  get state(): HostStreamState {
    return this.current;
  }

  private set(state: HostStreamState): void {
    this.current = state;
    if (!this.stopped) this.options.onChange(state);
  }

  /** Connects, and keeps connecting whenever the stream drops, until `stop`. */
  start(): void {
    if (this.started || this.stopped || !this.target) return;
    this.started = true;
    void this.connect(this.target);
  }

  /** Connects again now (the dashboard's action ended, or a user asked), unless a stream is live. */
  retryNow(): void {
    if (!this.started || this.stopped || !this.target || this.connecting) return;
    clearTimeout(this.timer);
    void this.connect(this.target);
  }

  private async connect(target: SshHost): Promise<void> {
    this.connecting = true;
    try {
      await this.attemptOnce(target);
    } finally {
      this.connecting = false;
    }
  }

  /** One attempt: probe, round trip, then the stream until it ends; a failure schedules the next attempt. */
  private async attemptOnce(target: SshHost): Promise<void> {
    this.timer = undefined;
    this.set(hostReconnecting(this.current));
    let version: string;
    try {
      version = await probeHost(target, { ...this.options, signal: this.aborted.signal });
    } catch (error) {
      return this.failed(problemOf(error));
    }
    if (this.stopped) return;
    const rtt = await pingHost(target, { ...this.options, signal: this.aborted.signal });
    if (this.stopped) return;
    this.set(hostProbed(this.current, version, rtt));
    this.schedulePing(target);
    const { execa } = await import('execa');
    const remote = [...remoteCommandWords(this.options.remoteCommand), 'status', '--json', '--watch', '--interval', String(this.options.intervalMs / 1000)];
    // A remote terminal (-tt) for the stream: when it ends (the dashboard quits, the connection
    // drops) sshd hangs the terminal up and the host's `status --watch` ends on that SIGHUP,
    // rather than on the next line it cannot write, which only a change would bring.
    const { args } = sshInvocation(target, this.options.runtimeDir, remote, { configFile: this.options.sshConfig, tty: true });
    const child = execa('ssh', args, { reject: false, stdin: 'ignore', buffer: { stdout: false, stderr: true }, encoding: 'utf8' });
    this.child = child;
    this.closeStdio = () => {
      // The master connection holds a copy of the stream's pipes (OpenSSH passes a client's
      // stdio to the master): this process lets go of its ends itself, or it would wait for them.
      child.stdout?.destroy();
      child.stderr?.destroy();
    };
    const lines = createInterface({ input: child.stdout! });
    // On the remote terminal the host's errors come on the same stream: the last non-JSON line says why it ended.
    let said = '';
    let synced = false;
    lines.on('line', (line) => {
      const before = this.current.phase;
      const bad = this.current.badLines;
      this.set(applyLine(this.current, line));
      if (this.current.badLines > bad && line.trim() !== '') said = line.trim();
      if (this.current.phase === 'live') synced = true;
      // A stream that delivered its whole list has proved the host: the backoff starts over.
      if (before !== 'live' && this.current.phase === 'live') this.attempt = 0;
    });
    const result = await child;
    lines.close();
    this.child = undefined;
    this.closeStdio = undefined;
    if (this.stopped) return;
    const stderr = String(result.stderr ?? '');
    if (result.exitCode === 255) return this.failed(problemOf(sshFailure(target, stderr)));
    const last = said || (stderr.trim().split('\n').at(-1) ?? '');
    if (!synced && result.exitCode === 2) {
      // A usage error before the first list: that twinbox cannot stream its status.
      return this.failed(
        problemOf(
          new TwinboxError('host-version', `${target.address}: its twinbox cannot stream its status (\`status --json --watch\` exited 2${last ? `: ${last}` : ''})`, {
            hint: 'upgrade twinbox on that host (npm install --global twinbox) to see it on this dashboard',
          }),
        ),
      );
    }
    this.failed(
      problemOf(
        new TwinboxError('host-connection-lost', `${target.address}: the status stream ended (exit ${result.exitCode ?? result.signal})${last ? `: ${last}` : ''}`, {
          hint: 'it is started again by itself; `twinbox --host ADDRESS status` shows what the host says',
        }),
      ),
    );
  }

  /** While the stream is live, the round trip is measured again every PING_EVERY_MS. */
  private schedulePing(target: SshHost): void {
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      if (this.stopped || !this.child) return;
      void pingHost(target, { ...this.options, signal: this.aborted.signal }).then((rttMs) => {
        if (this.stopped || !this.child) return;
        if (rttMs !== undefined) this.set({ ...this.current, rttMs });
        this.schedulePing(target);
      });
    }, PING_EVERY_MS);
    this.pingTimer.unref?.();
  }

  private failed(problem: HostProblem): void {
    if (this.stopped) return;
    this.attempt++;
    const wait = backoffMs(this.attempt, isRefusal(problem.code));
    const now = Date.now();
    this.set(hostFailed(this.current, problem, now, now + wait));
    this.timer = setTimeout(() => this.target && void this.connect(this.target), wait);
    this.timer.unref?.();
  }

  /** Ends the stream (its ssh is sent SIGTERM) and every retry. */
  stop(): void {
    this.stopped = true;
    this.aborted.abort();
    clearTimeout(this.timer);
    clearTimeout(this.pingTimer);
    this.child?.kill('SIGTERM');
    this.closeStdio?.();
  }
}
