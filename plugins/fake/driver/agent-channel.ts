import { connect, type Socket } from 'node:net';

const CONNECT_TIMEOUT_MS = 5_000;

/** A connected stream to the guest agent's socket, or the connection error. */
export function connectAgent(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${socketPath} timed out`));
    }, CONNECT_TIMEOUT_MS);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}
