import type { Duplex } from 'node:stream';
import type { Clock, GuestAgentConnectOptions, GuestAgentPlugin, GuestAgentSession, PluginLogger } from 'twinbox/plugin-api';
import { systemClock } from './clock.js';
import { DEFAULT_FILE_CHUNK_BYTES } from './commands/files.js';
import { DEFAULT_CALL_TIMEOUT_MS, QgaTransport } from './protocol/transport.js';
import { QgaSession } from './session.js';

/** Long enough for a guest that is still booting when the VM reports running. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_SHUTDOWN_SILENCE_MS = 1_000;

export interface QgaPluginOptions {
  clock?: Clock;
  logger?: PluginLogger;
  callTimeoutMs?: number;
  connectTimeoutMs?: number;
  fileChunkBytes?: number;
  shutdownSilenceMs?: number;
}

export class QgaGuestAgentPlugin implements GuestAgentPlugin {
  readonly kind = 'guest-agent' as const;
  readonly name = 'qga';
  readonly displayName = 'QEMU guest agent';
  readonly channelName = 'org.qemu.guest_agent.0';

  constructor(private readonly options: QgaPluginOptions = {}) {}

  /** On failure the channel is destroyed: there is no session to release it later. */
  async connect(channel: Duplex, options: GuestAgentConnectOptions = {}): Promise<GuestAgentSession> {
    const callTimeoutMs = this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const transport = new QgaTransport(channel, { defaultTimeoutMs: callTimeoutMs, logger: this.options.logger });
    try {
      await transport.connect(options.timeoutMs ?? this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, options.signal);
    } catch (error) {
      await transport.close();
      throw error;
    }
    return new QgaSession(transport, {
      clock: this.options.clock ?? systemClock,
      callTimeoutMs,
      fileChunkBytes: this.options.fileChunkBytes ?? DEFAULT_FILE_CHUNK_BYTES,
      shutdownSilenceMs: this.options.shutdownSilenceMs ?? DEFAULT_SHUTDOWN_SILENCE_MS,
    });
  }
}
