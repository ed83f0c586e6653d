import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { hmpSilent } from '../../../plugins/qemu/qmp/hmp.js';
import { QmpConnection, QmpError, withQmp } from '../../../plugins/qemu/qmp/qmp-connection.js';

type Handler = (request: { execute: string; arguments?: Record<string, unknown>; id?: string }, socket: Socket) => void;

/** A monitor that greets, answers qmp_capabilities and hands everything else to `handler`. */
async function fakeMonitor(t: { teardown(fn: () => void): void }, handler: Handler, greet = true): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tbq-qmp-'));
  const path = join(dir, 'qmp.sock');
  const server: Server = createServer((socket) => {
    if (greet) socket.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}}, "capabilities": ["oob"]}}\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const request = JSON.parse(buffer.slice(0, newline)) as Parameters<Handler>[0];
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

test('commands are answered by id; events in between are collected', async (t) => {
  const path = await fakeMonitor(t, (request, socket) => {
    socket.write('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}\r\n');
    // Split across writes, as a stream may deliver it.
    const reply = JSON.stringify({ return: { status: 'paused', running: false }, id: request.id });
    socket.write(reply.slice(0, 10));
    setTimeout(() => socket.write(`${reply.slice(10)}\r\n`), 5);
  });
  const status = await withQmp(path, async (qmp) => {
    const answer = await qmp.execute('query-status');
    t.deepEqual(qmp.events.map((event) => event.event), ['STOP']);
    t.like(await qmp.waitForEvent('STOP', 10), { event: 'STOP' });
    return answer;
  });
  t.deepEqual(status, { status: 'paused', running: false });
});

test('an error answer rejects with its class and description', async (t) => {
  const path = await fakeMonitor(t, (request, socket) => {
    socket.write(`${JSON.stringify({ error: { class: 'CommandNotFound', desc: "The command nope has not been found" }, id: request.id })}\r\n`);
  });
  const error = await t.throwsAsync(withQmp(path, (qmp) => qmp.execute('nope')));
  t.true(error instanceof QmpError);
  t.is((error as QmpError).errorClass, 'CommandNotFound');
  t.regex(error?.message ?? '', /nope has not been found/);
});

test('a monitor that never greets (held by another client) times out', async (t) => {
  const path = await fakeMonitor(t, () => undefined, false);
  const error = await t.throwsAsync(QmpConnection.open(path, 100));
  t.is((error as QmpError).errorClass, 'Timeout');
});

test('a missing socket fails at once', async (t) => {
  const error = await t.throwsAsync(QmpConnection.open('/nonexistent/qmp.sock', 1_000));
  t.is((error as QmpError).errorClass, 'Connect');
});

test('a command left unanswered times out; a closed monitor rejects pending commands', async (t) => {
  const path = await fakeMonitor(t, (request, socket) => {
    if (request.execute === 'quit') socket.end();
  });
  await withQmp(path, async (qmp) => {
    const silent = await t.throwsAsync(qmp.execute('query-status', undefined, 50));
    t.is((silent as QmpError).errorClass, 'Timeout');
    const closed = await t.throwsAsync(qmp.execute('quit'));
    t.is((closed as QmpError).errorClass, 'Closed');
  });
});

test('HMP output from savevm/loadvm/delvm is an error', async (t) => {
  const path = await fakeMonitor(t, (request, socket) => {
    const line = String(request.arguments?.['command-line']);
    const output = line.startsWith('loadvm') ? "Error: Snapshot 'x' does not exist in one or more devices\r\n" : '';
    socket.write(`${JSON.stringify({ return: output, id: request.id })}\r\n`);
  });
  await withQmp(path, async (qmp) => {
    await t.notThrowsAsync(hmpSilent(qmp, 'savevm "x"', 1_000));
    await t.throwsAsync(hmpSilent(qmp, 'loadvm "x"', 1_000), { message: "Snapshot 'x' does not exist in one or more devices" });
  });
});
