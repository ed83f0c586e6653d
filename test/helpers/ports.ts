import { createServer } from 'node:net';

/**
 * A loopback TCP port free at the moment of asking: taken with listen(0), then let go. For a
 * server the test starts on it next (sshd, a V8 inspector), or as a port nothing listens on.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
