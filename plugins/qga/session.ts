import {
  TwinboxError,
  type CallOptions,
  type Clock,
  type GuestAgentInfo,
  type GuestAgentSession,
  type GuestApp,
  type GuestExecRequest,
  type GuestExecResult,
  type GuestOsInfo,
} from 'twinbox/plugin-api';
import { listApps } from './apps/list-apps.js';
import { execCapture, launchProcess, type ExecContext } from './commands/exec.js';
import { readFile, writeFile } from './commands/files.js';
import { agentInfo, hostName, osInfo, ping } from './commands/system.js';
import { setUserPassword } from './commands/user-password.js';
import type { QgaTransport } from './protocol/transport.js';

export interface QgaSessionOptions {
  clock: Clock;
  callTimeoutMs: number;
  fileChunkBytes: number;
  /** How long `shutdown` waits for an error reply before it counts the request as accepted. */
  shutdownSilenceMs: number;
}

export class QgaSession implements GuestAgentSession {
  private readonly execContext: ExecContext;
  private knownOs: GuestOsInfo | undefined;

  constructor(
    private readonly transport: QgaTransport,
    private readonly options: QgaSessionOptions,
  ) {
    this.execContext = { caller: transport, clock: options.clock, callTimeoutMs: options.callTimeoutMs };
  }

  ping(options?: CallOptions): Promise<void> {
    return ping(this.transport, options);
  }

  info(options?: CallOptions): Promise<GuestAgentInfo> {
    return agentInfo(this.transport, options);
  }

  async osInfo(options?: CallOptions): Promise<GuestOsInfo> {
    // The OS does not change under a running session, and app discovery asks for it each time.
    this.knownOs ??= await osInfo(this.transport, options);
    return { ...this.knownOs };
  }

  hostName(options?: CallOptions): Promise<string> {
    return hostName(this.transport, options);
  }

  exec(request: GuestExecRequest): Promise<GuestExecResult> {
    return execCapture(this.execContext, request);
  }

  readFile(path: string, options?: CallOptions): Promise<Uint8Array> {
    return readFile(this.transport, path, { ...options, chunkBytes: this.options.fileChunkBytes });
  }

  writeFile(path: string, data: Uint8Array, options?: CallOptions): Promise<void> {
    return writeFile(this.transport, path, data, { ...options, chunkBytes: this.options.fileChunkBytes });
  }

  listApps(options?: CallOptions): Promise<GuestApp[]> {
    return listApps(this, options);
  }

  async launch(app: GuestApp, args: readonly string[] = []): Promise<{ pid: number }> {
    const [path, ...appArgs] = app.command;
    if (path === undefined) throw new TwinboxError('invalid-app', `app ${app.id} has no command to run`);
    const pid = await launchProcess(this.execContext, { path, args: [...appArgs, ...args] });
    return { pid };
  }

  /** The password is sent base64-encoded in the request only; it is never logged or put in an error. */
  setUserPassword(user: string, password: string, options?: CallOptions): Promise<void> {
    return setUserPassword(this.transport, user, password, options);
  }

  shutdown(mode: 'powerdown' | 'reboot' | 'halt' = 'powerdown'): Promise<void> {
    return this.transport.send('guest-shutdown', { mode }, this.options.shutdownSilenceMs);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
