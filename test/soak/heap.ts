/**
 * The JavaScript heap a Node process still holds after a full garbage collection, read through
 * the V8 inspector the process was started with (`--inspect=127.0.0.1:PORT`). Resident memory
 * climbs with load and falls late (V8 keeps freed pages, the allocator keeps its arenas), so it
 * says little about a leak over a minute; what survives a forced collection is what the
 * program still references, and that is what grows when it leaks.
 *
 * Protocol: Chrome DevTools Protocol as Node serves it: `GET /json/list` names the target's
 * webSocketDebuggerUrl; `HeapProfiler.collectGarbage` and `Runtime.getHeapUsage` (usedSize,
 * totalSize in bytes) are methods of the protocol's HeapProfiler and Runtime domains.
 */
import WebSocket from 'ws';
export { freeLoopbackPort } from '../helpers/ports.js';

async function debuggerUrl(port: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/json/list`);
      const targets = (await response.json()) as Array<{ webSocketDebuggerUrl?: string }>;
      const url = targets.find((target) => target.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
      if (url) return url;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no inspector answered on 127.0.0.1:${port}: ${String(last)}`);
}

/** MiB of JavaScript heap in use right after a forced full collection, to one decimal. */
export async function retainedHeapMiB(port: number, timeoutMs = 15_000): Promise<number> {
  const socket = new WebSocket(await debuggerUrl(port, timeoutMs));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    let id = 0;
    const call = (method: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const mine = ++id;
        const timer = setTimeout(() => reject(new Error(`${method} got no answer in ${timeoutMs} ms`)), timeoutMs);
        const onMessage = (data: WebSocket.RawData) => {
          const message = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
          if (message.id !== mine) return;
          clearTimeout(timer);
          socket.off('message', onMessage);
          if (message.error) reject(new Error(`${method}: ${message.error.message}`));
          else resolve(message.result ?? {});
        };
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ id: mine, method }));
      });
    // Two collections: the first may leave objects with finalizers or weak callbacks for the second.
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.getHeapUsage');
    return Math.round((Number(usage.usedSize) / 1024 / 1024) * 10) / 10;
  } finally {
    socket.close();
  }
}
