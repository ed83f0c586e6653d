import type { Duplex } from 'node:stream';
import type { ExecutionContext } from 'ava';
import type { GuestAgentConnectOptions, GuestAgentSession } from '../../../src/plugin-api/index.js';
import { QgaPeer, type QgaPeerOptions } from '../../../src/testing/qga-peer.js';
import { QgaGuestAgentPlugin, type QgaPluginOptions } from '../../../plugins/qga/index.js';

export interface PeerSession {
  peer: QgaPeer;
  session: GuestAgentSession;
  channel: Duplex;
  plugin: QgaGuestAgentPlugin;
}

/** A session to a fresh in-process agent; both are torn down with the test. */
export async function peerSession(
  t: ExecutionContext,
  peerOptions: QgaPeerOptions = {},
  pluginOptions: QgaPluginOptions = {},
  connectOptions: GuestAgentConnectOptions = { timeoutMs: 5_000 },
): Promise<PeerSession> {
  const peer = await QgaPeer.start(peerOptions);
  t.teardown(() => peer.close());
  const plugin = new QgaGuestAgentPlugin(pluginOptions);
  const channel = await peer.openChannel();
  const session = await plugin.connect(channel, connectOptions);
  t.teardown(() => session.close());
  return { peer, session, channel, plugin };
}

export function commandsReceived(peer: QgaPeer, name: string): number {
  return peer.received.filter((request) => request.command === name).length;
}
