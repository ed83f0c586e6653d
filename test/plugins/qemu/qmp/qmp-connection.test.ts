import test from 'ava';
import { hmpSilent } from '../../../../plugins/qemu/qmp/hmp.js';
import { QmpConnection, QmpError, withQmp } from '../../../../plugins/qemu/qmp/qmp-connection.js';
import { fakeMonitor } from '../helpers/fake-monitor.js';

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
