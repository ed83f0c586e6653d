import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type MonitorHandler = (request: { execute: string; arguments?: Record<string, unknown>; id?: string }, socket: Socket) => void;

/** A monitor that greets, answers qmp_capabilities and hands everything else to `handler`. */
export async function fakeMonitor(t: { teardown(fn: () => void): void }, handler: MonitorHandler, greet = true): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tbq-qmp-'));
  const path = join(dir, 'qmp.sock');
  const server: Server = createServer((socket) => {
    if (greet) socket.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}}, "capabilities": ["oob"]}}\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const request = JSON.parse(buffer.slice(0, newline)) as Parameters<MonitorHandler>[0];
        buffer = buffer.slice(newline + 1);
        if (request.execute === 'qmp_capabilities') socket.write(`${JSON.stringify({ return: {}, id: request.id })}\r\n`);
        else handler(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return path;
}
