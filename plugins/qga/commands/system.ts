import type { CallOptions, GuestAgentInfo, GuestOsInfo } from 'twinbox/plugin-api';
import { agentProtocolError } from '../protocol/errors.js';
import { booleanField, isJsonObject, stringField, type JsonObject } from '../protocol/json.js';
import type { QgaCaller } from '../protocol/transport.js';

export function expectObject(command: string, reply: unknown): JsonObject {
  if (!isJsonObject(reply)) throw agentProtocolError(command, 'expected an object in the reply');
  return reply;
}

export async function ping(caller: QgaCaller, options: CallOptions = {}): Promise<void> {
  await caller.call('guest-ping', undefined, options);
}

export async function agentInfo(caller: QgaCaller, options: CallOptions = {}): Promise<GuestAgentInfo> {
  const reply = expectObject('guest-info', await caller.call('guest-info', undefined, options));
  const listed = reply['supported_commands'];
  const commands = (Array.isArray(listed) ? listed : [])
    .filter(isJsonObject)
    // An agent started with --blacklist lists commands it refuses to run.
    .filter((command) => booleanField(command, 'enabled') !== false)
    .map((command) => stringField(command, 'name'))
    .filter((name): name is string => name !== undefined);
  return { version: stringField(reply, 'version') ?? 'unknown', commands };
}

export async function osInfo(caller: QgaCaller, options: CallOptions = {}): Promise<GuestOsInfo> {
  const reply = expectObject('guest-get-osinfo', await caller.call('guest-get-osinfo', undefined, options));
  // Every field is optional in the schema; an agent that cannot read os-release still answers.
  const info: GuestOsInfo = {
    id: stringField(reply, 'id') ?? 'unknown',
    name: stringField(reply, 'name') ?? stringField(reply, 'pretty-name') ?? 'unknown',
  };
  const prettyName = stringField(reply, 'pretty-name');
  const version = stringField(reply, 'version') ?? stringField(reply, 'version-id');
  const kernelRelease = stringField(reply, 'kernel-release');
  if (prettyName !== undefined) info.prettyName = prettyName;
  if (version !== undefined) info.version = version;
  if (kernelRelease !== undefined) info.kernelRelease = kernelRelease;
  return info;
}

export async function hostName(caller: QgaCaller, options: CallOptions = {}): Promise<string> {
  const reply = expectObject('guest-get-host-name', await caller.call('guest-get-host-name', undefined, options));
  const name = stringField(reply, 'host-name');
  if (name === undefined) throw agentProtocolError('guest-get-host-name', 'reply has no host-name');
  return name;
}
