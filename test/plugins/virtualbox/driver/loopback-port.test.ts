import { createServer } from 'node:net';
import test from 'ava';
import { freeLoopbackPort, loopbackPortTaken } from '../../../../plugins/virtualbox/driver/loopback-port.js';

function listen(port: number): Promise<() => Promise<void>> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(() => new Promise((done) => server.close(() => done()))));
  });
}

test('a free loopback port can be listened on by the next program', async (t) => {
  const port = await freeLoopbackPort();
  t.true(port > 0 && port < 65536);
  const close = await listen(port);
  await close();
});

test('a port something listens on is taken; once it closes, it is not', async (t) => {
  const port = await freeLoopbackPort();
  const close = await listen(port);
  t.true(await loopbackPortTaken(port));
  await close();
  t.false(await loopbackPortTaken(port));
});
