import { createConnection, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { VmRef } from 'twinbox/plugin-api';
import { qemuErrors } from '../driver/errors.js';
import { loadVm } from '../driver/load-vm.js';
import { consoleChannelName, consoleIndex } from '../driver/vm-paths.js';
import { inspectVm } from '../driver/vm-state.js';
import type { QemuDeps } from '../provider.js';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A virtio-serial channel (or console port `consoleN`) as a socket. QEMU serves one client
 * per socket: a second connection waits until the first one ends.
 */
export async function openChannel(deps: QemuDeps, vm: VmRef, name: string): Promise<Duplex> {
  const config = await loadVm(deps, vm);
  const index = consoleIndex(name);
  const socketPath = index === undefined ? config.paths.channels[name] : config.paths.consoles[index];
  if (!socketPath) {
    const known = [...Object.keys(config.paths.channels), ...config.paths.consoles.map((_, i) => consoleChannelName(i))];
    throw qemuErrors.unknownChannel(vm.id, name, known);
  }
  const { status, verdict } = await inspectVm(deps, config);
  if (verdict.kind !== 'ours') throw qemuErrors.vmNotRunning(vm.id, status.state);
  return connect(socketPath, vm.id, name);
}

function connect(socketPath: string, id: string, name: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(qemuErrors.channelUnavailable(id, name, socketPath, `no connection within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // An error after the hand-over (the VM stopped) must not crash a caller that only
      // watches 'close'.
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(qemuErrors.channelUnavailable(id, name, socketPath, error.code ?? error.message));
    });
  });
}
