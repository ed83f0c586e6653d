/**
 * The hosts the dashboard shows beside this machine (the `hosts` setting, or `--host`): one
 * HostStream each, started together, their states read as one.
 */
import { TwinboxError } from '../../plugin-api/index.js';
import { runOnHostCaptured, type CapturedRun, type RemoteRunOptions } from '../remote/run-remote.js';
import { parseHostAddress } from '../remote/ssh-host.js';
import { HostStream } from './host-stream.js';
import type { HostStreamState } from './host-stream-state.js';

export interface FleetHost {
  name: string;
  address: string;
}

export interface FleetOptions extends RemoteRunOptions {
  intervalMs: number;
}

/**
 * What `--host` names for the dashboard: a name of the `hosts` setting, or an ssh:// address
 * (named by its host). Refused in one line naming the fix.
 */
export function chooseHost(wanted: string, hosts: Readonly<Record<string, string>>): FleetHost {
  if (Object.hasOwn(hosts, wanted)) return { name: wanted, address: hosts[wanted]! };
  if (wanted.includes('://')) {
    const target = parseHostAddress(wanted);
    const named = Object.entries(hosts).find(([, address]) => address === wanted);
    return { name: named?.[0] ?? target.host, address: wanted };
  }
  const known = Object.keys(hosts);
  throw new TwinboxError('host-unknown', `there is no host named "${wanted}" in the hosts setting${known.length > 0 ? ` (it names ${known.join(', ')})` : ''}`, {
    hint: `give its address (--host ssh://[user@]host[:port]), or name it: twinbox config set hosts '{"${wanted}":"ssh://user@host"}'`,
    exit: 'usage',
  });
}

export class Fleet {
  readonly streams: HostStream[];
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly hosts: readonly FleetHost[],
    private readonly options: FleetOptions,
  ) {
    this.streams = hosts.map((host) => new HostStream(host.name, host.address, { ...options, onChange: () => this.changed() }));
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after any host's state changed; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  start(): void {
    for (const stream of this.streams) stream.start();
  }

  stop(): void {
    for (const stream of this.streams) stream.stop();
    this.listeners.clear();
  }

  states(): HostStreamState[] {
    return this.streams.map((stream) => stream.state);
  }

  /** Runs a twinbox command line on the host named `name`, its output captured. */
  async run(name: string, argv: string[]): Promise<CapturedRun> {
    const host = this.hosts.find((candidate) => candidate.name === name);
    if (!host) throw new TwinboxError('host-unknown', `there is no host named "${name}" on this dashboard`);
    try {
      return await runOnHostCaptured(parseHostAddress(host.address), argv, this.options);
    } finally {
      // The stream of a host that had dropped is tried again at once rather than after its backoff.
      this.streams.find((stream) => stream.name === name)?.retryNow();
    }
  }
}
