import { createServer, type AddressInfo } from 'node:net';
import test from 'ava';
import { addRule, checkGuestPort, freeLoopbackPort } from '../../../../plugins/qemu/cap/forward-port.js';
import { withQmp } from '../../../../plugins/qemu/qmp/qmp-connection.js';
import { fakeMonitor } from '../helpers/fake-monitor.js';

/** A monitor whose hostfwd_add answers the given texts in turn (empty text: success). */
async function hostfwdMonitor(t: { teardown(fn: () => void): void }, answers: string[]) {
  const commands: string[] = [];
  const path = await fakeMonitor(t, (request, socket) => {
    commands.push(String(request.arguments?.['command-line']));
    socket.write(`${JSON.stringify({ return: answers.shift() ?? '', id: request.id })}\r\n`);
  });
  return { path, commands };
}

const RULE = /^hostfwd_add net0 tcp:127\.0\.0\.1:(\d+)-:3389$/;

test('a rule binds a free port on 127.0.0.1 only and forwards it to the guest port', async (t) => {
  const { path, commands } = await hostfwdMonitor(t, ['']);
  const port = await withQmp(path, (qmp) => addRule(qmp, 'vm1', 3389));
  t.is(commands.length, 1);
  t.is(RULE.exec(commands[0] ?? '')?.[1], String(port));
});

test('a host port taken between the probe and QEMU binding it is retried once with a new probe', async (t) => {
  const { path, commands } = await hostfwdMonitor(t, ["Could not set up host forwarding rule 'tcp:127.0.0.1:40000-:3389'\r\n", '']);
  const port = await withQmp(path, (qmp) => addRule(qmp, 'vm1', 3389));
  t.is(commands.length, 2);
  t.true(commands.every((command) => RULE.test(command)));
  t.is(RULE.exec(commands[1] ?? '')?.[1], String(port));
});

test('a second failure to bind, or any other HMP error text, fails with qemu\'s message', async (t) => {
  const taken = "Could not set up host forwarding rule 'tcp:127.0.0.1:40000-:3389'\r\n";
  const twice = await hostfwdMonitor(t, [taken, taken]);
  await t.throwsAsync(withQmp(twice.path, (qmp) => addRule(qmp, 'vm1', 3389)), {
    code: 'port-forward-failed',
    message: "could not forward a host port to port 3389 of VM vm1: Could not set up host forwarding rule 'tcp:127.0.0.1:40000-:3389'",
  });
  t.is(twice.commands.length, 2, 'retried once, not more');

  const other = await hostfwdMonitor(t, ["unrecognized netdev id 'net0'\r\n"]);
  await t.throwsAsync(withQmp(other.path, (qmp) => addRule(qmp, 'vm1', 3389)), { code: 'port-forward-failed', message: /unrecognized netdev id 'net0'$/ });
  t.is(other.commands.length, 1, 'no retry for other errors');
});

test('guest ports outside 1–65535 or not whole numbers are refused as bad input', (t) => {
  for (const port of [0, -1, 65_536, 3.5, Number.NaN]) {
    const error = t.throws(() => checkGuestPort(port), { code: 'invalid-port' });
    t.is((error as { exit?: string }).exit, 'usage');
  }
  t.notThrows(() => checkGuestPort(3389));
});

test('a free loopback port is one a new listener can take at once', async (t) => {
  const port = await freeLoopbackPort();
  t.true(port > 0 && port < 65_536);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  t.is((server.address() as AddressInfo).port, port);
  await new Promise((resolve) => server.close(resolve));
});
