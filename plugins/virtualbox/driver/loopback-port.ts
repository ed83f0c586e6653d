import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

function bindOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A TCP port free on 127.0.0.1 right now: the system picks one for port 0, and it is released
 * at once for VirtualBox to take. Another program may take it in between (a small race); the
 * next forward notices that VirtualBox does not hold it and makes a new rule.
 */
export function freeLoopbackPort(): Promise<number> {
  return bindOnce(0);
}

/** Whether something listens on 127.0.0.1:`port` (it cannot be bound). */
export async function loopbackPortTaken(port: number): Promise<boolean> {
  try {
    await bindOnce(port);
    return false;
  } catch {
    // EADDRINUSE: taken. Anything else (EACCES below 1024) proves nothing either way, and a
    // rule that may still work is kept rather than replaced.
    return true;
  }
}
