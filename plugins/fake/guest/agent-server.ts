import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { NO_FAULTS, type FakeFaults } from '../driver/faults.js';
import { JsonObjectStream, RESYNC_BYTE } from './json-stream.js';
import { listenPrivate } from './private-socket.js';
import { QgaError, intArg, type QgaArgs, type QgaCommand } from './qga-error.js';

export interface AgentServerOptions {
  socketPath: string;
  commands: Record<string, QgaCommand>;
  /** Read once per connection, so faults set while the VM runs apply to the next client. */
  faults: () => Promise<FakeFaults>;
  version: string;
  /** guest-shutdown was accepted; it gets no reply. */
  onShutdown: (mode: string) => void;
}

export interface AgentServer {
  close(): Promise<void>;
}

/** Commands the server answers itself because they shape the stream rather than the guest. */
const STREAM_COMMANDS = ['guest-sync', 'guest-sync-delimited', 'guest-info', 'guest-shutdown'];

function junkLine(): Buffer {
  // Non-JSON bytes ending in a newline, like a console that leaks into the agent's port.
  return Buffer.concat([Buffer.from([0x00, 0x1b]), Buffer.from(`[fake-agent noise ${randomBytes(3).toString('hex')} {"return":\n`)]);
}

function errorReply(error: unknown): Record<string, unknown> {
  if (error instanceof QgaError) return { error: { class: error.errorClass, desc: error.desc } };
  return { error: { class: 'GenericError', desc: (error as Error).message ?? String(error) } };
}

/**
 * The guest agent end of the channel: qemu-ga's wire protocol over a unix socket. Requests
 * are JSON objects in any framing; replies are one JSON object a line; guest-sync-delimited
 * puts 0xFF before its reply so a client can find it among stale bytes.
 */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const sockets = new Set<Socket>();

  const supported = () =>
    [...STREAM_COMMANDS, ...Object.keys(options.commands)].sort().map((name) => ({
      name,
      enabled: true,
      'success-response': name !== 'guest-shutdown' && options.commands[name]?.successResponse !== false,
    }));

  const serve = (socket: Socket): void => {
    sockets.add(socket);
    const stream = new JsonObjectStream();
    const faultsReady = options.faults().catch(() => NO_FAULTS);
    let queue: Promise<void> = Promise.resolve();

    const send = async (reply: Record<string, unknown>, delimited = false): Promise<void> => {
      const faults = await faultsReady;
      if (socket.destroyed) return;
      if (faults.agentGarbage) socket.write(junkLine());
      if (delimited) socket.write(Buffer.from([RESYNC_BYTE]));
      socket.write(`${JSON.stringify(reply)}\n`);
    };

    const handle = async (text: string): Promise<void> => {
      const faults = await faultsReady;
      if (faults.agentSilent) return;
      let request: unknown;
      try {
        request = JSON.parse(text);
      } catch (error) {
        await send({ error: { class: 'GenericError', desc: `JSON parse error, ${(error as Error).message}` } });
        return;
      }
      if (typeof request !== 'object' || request === null || Array.isArray(request)) {
        await send({ error: { class: 'GenericError', desc: 'QMP input must be a JSON object' } });
        return;
      }
      const { execute, arguments: rawArgs, id } = request as { execute?: unknown; arguments?: unknown; id?: unknown };
      const withId = (reply: Record<string, unknown>) => (id === undefined ? reply : { ...reply, id });
      if (typeof execute !== 'string') {
        await send(withId({ error: { class: 'GenericError', desc: "QMP input lacks member 'execute'" } }));
        return;
      }
      const args: QgaArgs = typeof rawArgs === 'object' && rawArgs !== null ? (rawArgs as QgaArgs) : {};
      try {
        switch (execute) {
          case 'guest-sync-delimited':
            await send(withId({ return: intArg(args, 'id') }), true);
            return;
          case 'guest-sync':
            await send(withId({ return: intArg(args, 'id') }));
            return;
          case 'guest-info':
            await send(withId({ return: { version: options.version, supported_commands: supported() } }));
            return;
          case 'guest-shutdown':
            options.onShutdown(typeof args.mode === 'string' ? args.mode : 'powerdown');
            return;
        }
        const command = options.commands[execute];
        if (!command) throw new QgaError('CommandNotFound', `The command ${execute} has not been found`);
        const result = await command.run(args);
        if (command.successResponse !== false) await send(withId({ return: result ?? {} }));
      } catch (error) {
        await send(withId(errorReply(error)));
      }
    };

    socket.on('data', (chunk: Buffer) => {
      for (const event of stream.push(chunk)) {
        // One request at a time per client, in order, as qemu-ga does.
        queue = queue
          .then(async () => {
            if (event.kind === 'object') await handle(event.text);
            else if (!(await faultsReady).agentSilent) await send({ error: { class: 'GenericError', desc: event.reason } });
          })
          .catch(() => undefined);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };

  const server = await listenPrivate(options.socketPath, serve);

  return {
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(options.socketPath, { force: true });
    },
  };
}
