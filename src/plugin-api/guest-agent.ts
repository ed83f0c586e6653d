import type { Duplex } from 'node:stream';

export interface GuestOsInfo {
  /** Short id: `debian`, `alpine`, `mswindows`… */
  id: string;
  name: string;
  prettyName?: string;
  version?: string;
  kernelRelease?: string;
}

export interface GuestAgentInfo {
  version: string;
  /** Names of the commands the agent supports and has enabled. */
  commands: string[];
}

export interface GuestExecRequest {
  /** Program path inside the guest. */
  path: string;
  args?: readonly string[];
  env?: readonly string[];
  /** Bytes fed to the program's standard input. */
  input?: Uint8Array;
  /** Give up (and report a timeout) after this long. */
  timeoutMs?: number;
}

export interface GuestExecResult {
  exitCode: number | null;
  signal?: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  stdoutTruncated?: boolean;
  stderrTruncated?: boolean;
}

export type GuestAppKind = 'command' | 'terminal' | 'gui';

export interface GuestApp {
  /** Stable id within the guest, e.g. the `.desktop` file name without extension. */
  id: string;
  /** The name shown: translated for the user's language where the guest has a translation. */
  name: string;
  /** The guest's own untranslated name, when `name` is a translation of it: menus find the app by either. */
  untranslatedName?: string;
  kind: GuestAppKind;
  /** Program and arguments to run in the guest. */
  command: string[];
  categories?: string[];
  /** Where the app was found ("/usr/share/applications/top.desktop"). */
  source: string;
}

export interface CallOptions {
  /** Per-call timeout; the session resyncs after a timeout. */
  timeoutMs?: number;
}

export interface GuestAgentSession {
  ping(options?: CallOptions): Promise<void>;
  info(options?: CallOptions): Promise<GuestAgentInfo>;
  osInfo(options?: CallOptions): Promise<GuestOsInfo>;
  hostName(options?: CallOptions): Promise<string>;
  exec(request: GuestExecRequest): Promise<GuestExecResult>;
  readFile(path: string, options?: CallOptions): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void>;
  listApps(options?: CallOptions): Promise<GuestApp[]>;
  /** Starts an app in the guest without waiting for it; returns the guest pid. */
  launch(app: GuestApp, args?: readonly string[]): Promise<{ pid: number }>;
  /**
   * Sets a guest account's password (QGA `guest-set-user-password`); optional. twinbox uses it
   * for a one-time RDP password that is never stored: the password is sent only over the
   * agent channel and must never be logged.
   */
  setUserPassword?(user: string, password: string, options?: CallOptions): Promise<void>;
  /** Asks the guest to shut down. The agent sends no reply: confirm through the hypervisor. */
  shutdown(mode?: 'powerdown' | 'reboot' | 'halt'): Promise<void>;
  /** Releases the channel. */
  close(): Promise<void>;
}

export interface GuestAgentConnectOptions {
  /** How long the first handshake (resync) may take; a guest still booting needs longer. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface GuestAgentPlugin {
  readonly kind: 'guest-agent';
  readonly name: string;
  readonly displayName: string;
  /** The channel name this agent listens on, passed to `HypervisorPlugin.openChannel`. */
  readonly channelName: string;
  /** Speaks the agent protocol over an open channel. */
  connect(channel: Duplex, options?: GuestAgentConnectOptions): Promise<GuestAgentSession>;
}
