import { connect, type Socket } from 'node:net';
import { TwinboxError, type VmRef } from 'twinbox/plugin-api';
import type { HostKind } from '../driver/platform.js';
import type { HyperVContext, PipeOpener } from '../provider.js';

/** Generation 2 VMs have two COM ports. */
export const MAX_COM_PORTS = 2;

export function channelKey(name: string): string {
  return `channel:${name}`;
}

export function pipeName(id: string, index: number): string {
  return `\\\\.\\pipe\\twinbox-${id}${index === 0 ? '' : `-${index + 1}`}`;
}

/** Connects to a COM port's named pipe (Hyper-V is the pipe server while the VM runs). */
export function connectPipe(pipe: string, label: string, host: HostKind, open: PipeOpener = (path) => connect(path)): Promise<Socket> {
  if (host !== 'windows') {
    return Promise.reject(
      new TwinboxError('channel-unreachable', `cannot open ${label}: Hyper-V serial ports are Windows named pipes (${pipe}), which ${host === 'wsl' ? 'WSL' : 'this system'} cannot open`, {
        hint: 'run twinbox from Windows (PowerShell or cmd) to talk to the guest',
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const socket = open(pipe);
    const onError = (error: NodeJS.ErrnoException) => {
      socket.destroy();
      reject(
        new TwinboxError('channel-unavailable', `cannot open ${label}: nothing listens on ${pipe} (${error.code ?? error.message})`, {
          hint: 'start the VM first: Hyper-V opens the COM port pipe while the VM runs',
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

/** A COM port's pipe, set when the VM was created; reachable from Windows only. */
export async function openChannel(ctx: HyperVContext, vm: VmRef, name: string): Promise<Socket> {
  const pipe = vm.data?.[channelKey(name)];
  if (typeof pipe !== 'string') {
    throw new TwinboxError('channel-not-found', `${vm.id} has no channel named "${name}"`, { hint: 'channels are set when the VM is created' });
  }
  return connectPipe(pipe, `channel "${name}" of ${vm.id}`, ctx.host, ctx.openPipe);
}
