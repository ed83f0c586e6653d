import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { TwinboxError, type PluginPaths, type VmRef } from 'twinbox/plugin-api';
import type { VBoxContext } from '../provider.js';

/** Serial ports VirtualBox offers, in the order channels are assigned: COM1–COM4 (I/O base, IRQ). */
export const UARTS: readonly (readonly [string, string])[] = [
  ['0x3F8', '4'],
  ['0x2F8', '3'],
  ['0x3E8', '4'],
  ['0x2E8', '3'],
];

// sun_path holds 104 bytes on macOS (108 on Linux), including the terminating NUL.
const MAX_SOCKET_PATH = 103;

export function channelKey(name: string): string {
  return `channel:${name}`;
}

/**
 * Where the VM's serial port listens in host-pipe server mode: a named pipe on Windows, a
 * unix socket in the short runtime folder elsewhere.
 */
export function channelPath(paths: PluginPaths, platform: NodeJS.Platform, id: string, index: number): string {
  const suffix = index === 0 ? '' : `-${index + 1}`;
  if (platform === 'win32') return `\\\\.\\pipe\\twinbox-${id}${suffix}`;
  const path = join(paths.runtimeDir, `vbox-${id}${suffix}.sock`);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new TwinboxError('socket-path-too-long', `the channel socket path ${path} is longer than unix sockets allow (${MAX_SOCKET_PATH} bytes)`, {
      hint: 'use a shorter TWINBOX_HOME or XDG_RUNTIME_DIR',
    });
  }
  return path;
}

/** Connects to a serial port's pipe or socket; fails with a clear error when nothing listens. */
export function connectChannel(path: string, label: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const onError = (error: NodeJS.ErrnoException) => {
      socket.destroy();
      reject(
        new TwinboxError('channel-unavailable', `cannot open ${label}: nothing listens on ${path} (${error.code ?? error.message})`, {
          hint: 'start the VM first: VirtualBox opens the serial port while the VM runs',
          cause: error,
        }),
      );
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** The byte stream of a channel set when the VM was created; the VM must be running. */
export async function openChannel(_ctx: VBoxContext, vm: VmRef, name: string): Promise<Socket> {
  const path = vm.data?.[channelKey(name)];
  if (typeof path !== 'string') {
    throw new TwinboxError('channel-not-found', `${vm.id} has no channel named "${name}"`, { hint: 'channels are set when the VM is created' });
  }
  return connectChannel(path, `channel "${name}" of ${vm.id}`);
}
