import type { CallOptions } from 'twinbox/plugin-api';
import { agentProtocolError } from '../protocol/errors.js';
import { booleanField, numberField, stringField } from '../protocol/json.js';
import type { QgaCaller } from '../protocol/transport.js';
import { expectObject } from './system.js';

/** Small enough for any serial transport and the agent's request limit, large enough to keep round trips few. */
export const DEFAULT_FILE_CHUNK_BYTES = 64 * 1024;

export interface FileOptions extends CallOptions {
  chunkBytes?: number;
}

async function openFile(caller: QgaCaller, path: string, mode: 'r' | 'w', options: CallOptions): Promise<number> {
  const handle = await caller.call('guest-file-open', { path, mode }, options);
  if (typeof handle !== 'number') throw agentProtocolError('guest-file-open', 'reply is not a file handle');
  return handle;
}

/** Closes the handle whatever happened; a close failure only surfaces when the work itself succeeded. */
async function withHandle<T>(caller: QgaCaller, path: string, mode: 'r' | 'w', options: CallOptions, work: (handle: number) => Promise<T>): Promise<T> {
  const handle = await openFile(caller, path, mode, options);
  let result: T;
  try {
    result = await work(handle);
  } catch (error) {
    await caller.call('guest-file-close', { handle }, options).catch(() => undefined);
    throw error;
  }
  await caller.call('guest-file-close', { handle }, options);
  return result;
}

export function readFile(caller: QgaCaller, path: string, options: FileOptions = {}): Promise<Uint8Array> {
  const count = options.chunkBytes ?? DEFAULT_FILE_CHUNK_BYTES;
  return withHandle(caller, path, 'r', options, async (handle) => {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const reply = expectObject('guest-file-read', await caller.call('guest-file-read', { handle, count }, options));
      const chunk = Buffer.from(stringField(reply, 'buf-b64') ?? '', 'base64');
      chunks.push(chunk);
      total += chunk.length;
      // Some agents report eof only on the read after the last byte; an empty read ends it too.
      if (booleanField(reply, 'eof') === true || chunk.length === 0) break;
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  });
}

export function writeFile(caller: QgaCaller, path: string, data: Uint8Array, options: FileOptions = {}): Promise<void> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_FILE_CHUNK_BYTES;
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return withHandle(caller, path, 'w', options, async (handle) => {
    let offset = 0;
    while (offset < bytes.length) {
      const chunk = bytes.subarray(offset, Math.min(offset + chunkBytes, bytes.length));
      const reply = expectObject('guest-file-write', await caller.call('guest-file-write', { handle, 'buf-b64': chunk.toString('base64') }, options));
      const written = numberField(reply, 'count') ?? chunk.length;
      if (written <= 0) throw agentProtocolError('guest-file-write', `wrote nothing at offset ${offset} of ${path}`);
      // A short write leaves the rest of the chunk for the next call.
      offset += Math.min(written, chunk.length);
    }
  });
}
