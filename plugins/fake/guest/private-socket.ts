import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * Listens on a unix socket only its owner may connect to (0600), replacing a stale one a
 * killed guest left behind: the fake guest's agent and console ports both listen so.
 */
export async function listenPrivate(socketPath: string, onConnection: (socket: Socket) => void): Promise<Server> {
  await rm(socketPath, { force: true });
  const server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(socketPath, 0o600);
  return server;
}
