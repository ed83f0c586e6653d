import { resolve } from 'node:path';
import type { ForwardedPort, VmRef } from 'twinbox/plugin-api';
import { currentStatus } from '../driver/vm-status.js';
import type { FakeContext } from '../provider.js';

/** The fake guest's programs are host processes on the host's network: a guest port is the same loopback port. */
export async function forwardPort(_context: FakeContext, vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
  const { status } = await currentStatus(resolve(vm.vmDir));
  return status.state === 'running' ? { host: '127.0.0.1', port: guestPort } : undefined;
}
