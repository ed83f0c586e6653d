import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import type { VmRef } from 'twinbox/plugin-api';
import { connectAgent } from '../driver/agent-channel.js';
import { consoleChannelIndex, consoleSocketPath } from '../driver/console-paths.js';
import { fakeErrors } from '../driver/errors.js';
import { currentStatus } from '../driver/vm-status.js';
import { AGENT_CHANNEL, type FakeContext } from '../provider.js';

/** The guest agent's channel, and the console ports (`console<N>`) the guest offers through socat. */
export async function openChannel(_context: FakeContext, vm: VmRef, name: string): Promise<Duplex> {
  const { record, status } = await currentStatus(resolve(vm.vmDir));
  if (!record) throw fakeErrors.vmNotFound(vm.id);
  const console = consoleChannelIndex(name);
  if (name !== AGENT_CHANNEL && console === undefined) throw fakeErrors.unknownChannel(vm.id, name, [AGENT_CHANNEL, 'console<N>']);
  if (status.state !== 'running' || !record.socketPath) throw fakeErrors.vmNotRunning(vm.id, status.state);
  let socketPath = record.socketPath;
  if (console !== undefined) {
    const offered = record.consoles?.ports ?? 0;
    if (console >= offered) throw fakeErrors.noConsolePort(vm.id, name, offered, record.consoles?.unavailable ?? (offered === 0 ? 'the guest offers none' : undefined));
    socketPath = consoleSocketPath(record.socketPath, console);
  }
  try {
    return await connectAgent(socketPath);
  } catch (error) {
    throw fakeErrors.channelUnavailable(vm.id, name, error);
  }
}
