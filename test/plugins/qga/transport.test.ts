import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { isTwinboxError } from '../../../src/plugin-api/index.js';
import { NO_REPLY, QgaPeer, QgaPeerError } from '../../../src/testing/qga-peer.js';
import { QgaGuestAgentPlugin, QgaTransport } from '../../../plugins/qga/index.js';
import { commandsReceived, peerSession } from './peer-session.js';

const line = (body: unknown): Buffer => Buffer.from(`${JSON.stringify(body)}\n`);
const code = (error: unknown): string | undefined => (isTwinboxError(error) ? error.code : undefined);

test('connect writes 0xFF and guest-sync-delimited before anything else', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'qga-raw-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 's');
  const server = createServer();
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.listen(path);
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const plugin = new QgaGuestAgentPlugin();
  const client = connect(path);
  await once(client, 'connect');
  const connecting = plugin.connect(client, { timeoutMs: 5_000 });
  const [agent] = await accepted;
  const chunks: Buffer[] = [];
  // Answers every sync: on a loaded machine the client may retry before the first answer.
  agent.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    for (const text of chunk.toString('latin1').split('\n')) {
      const match = /"id":(\d+)/.exec(text);
      if (match) agent.write(Buffer.concat([Buffer.from([0xff]), line({ return: Number(match[1]) })]));
    }
  });
  const session = await connecting;
  const first = chunks[0] ?? Buffer.alloc(0);
  t.is(first[0], 0xff);
  const request = JSON.parse(first.subarray(1).toString('utf8').split('\n')[0] ?? '') as { execute: string; arguments: { id: number } };
  t.is(request.execute, 'guest-sync-delimited');
  t.true(Number.isSafeInteger(request.arguments.id));
  await session.close();
  agent.destroy();
});

test('replies to other sync ids, stray replies and errors before the sync reply are discarded', async (t) => {
  const { session, peer } = await peerSession(t, {
    hostName: 'guest-1',
    onReply: (reply) =>
      reply.command === 'guest-sync-delimited'
        ? { chunks: [line({ return: 999 }), line({ return: { 'host-name': 'stale' } }), Buffer.concat([line({ error: { class: 'GenericError', desc: 'old' } }), Buffer.from([0xff]), line({ return: 12 })]), reply.bytes] }
        : undefined,
  });
  t.is(await session.hostName(), 'guest-1');
  t.is(peer.received.at(-1)?.command, 'guest-get-host-name');
});

test('an agent answering the leading 0xFF with a parse error does not confuse the handshake', async (t) => {
  const { session } = await peerSession(t, { errorOnDelimiter: true, hostName: 'guest-2' });
  await session.ping();
  t.is(await session.hostName(), 'guest-2');
});

test('garbage before and between replies is ignored', async (t) => {
  const { session, peer, channel } = await peerSession(t, {
    hostName: 'guest-3',
    onReply: (reply) => (reply.command === 'guest-get-host-name' ? { chunks: [Buffer.from('\u0000\u0000[  OK  ] Reached target\r\nlogin: '), reply.bytes] } : undefined),
  });
  // A reply nobody asked for is only recognisable as stale while no call is in flight.
  const seen = new Promise<void>((resolve) => {
    let received = '';
    channel.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('unsolicited')) resolve();
    });
  });
  peer.inject(Buffer.from('noise without newline '));
  peer.inject(line({ return: 'unsolicited' }));
  await seen;
  t.is(await session.hostName(), 'guest-3');
  await session.ping();
});

test('replies split into single bytes are reassembled', async (t) => {
  const { session } = await peerSession(t, {
    hostName: 'split-guest',
    onReply: (reply) => ({ chunks: [...reply.bytes].map((byte) => Buffer.from([byte])), gapMs: 1 }),
  });
  t.is(await session.hostName(), 'split-guest');
  t.is((await session.osInfo()).id, 'debian');
});

test('a late reply merged with the sync reply into one chunk is discarded after a timeout', async (t) => {
  let pings = 0;
  const { session, peer } = await peerSession(t, {
    hostName: 'merged',
    onReply: (reply) => (reply.command === 'guest-ping' && ++pings === 1 ? { delayMs: 150, holdForNext: true } : undefined),
  });
  const error = await t.throwsAsync(session.ping({ timeoutMs: 50 }));
  t.is(code(error), 'guest-agent-timeout');
  t.is(await session.hostName(), 'merged');
  t.true(commandsReceived(peer, 'guest-sync-delimited') >= 2);
});

test('a call that times out rejects with guest-agent-timeout and the next call resyncs first', async (t) => {
  let pings = 0;
  const { session, peer } = await peerSession(t, {
    hostName: 'slow',
    onReply: (reply) => (reply.command === 'guest-ping' && ++pings === 1 ? { delayMs: 300 } : undefined),
  });
  const error = await t.throwsAsync(session.ping({ timeoutMs: 50 }));
  t.is(code(error), 'guest-agent-timeout');
  t.true(isTwinboxError(error) && error.exit === 'timeout');
  // The late `{"return": {}}` must not pass for the host-name reply.
  t.is(await session.hostName(), 'slow');
  const commands = peer.received.map((request) => request.command);
  const afterPing = commands.slice(commands.indexOf('guest-ping') + 1);
  // More than one sync when a loaded machine lets an attempt expire; the resync always comes first.
  t.deepEqual(new Set(afterPing.slice(0, -1)), new Set(['guest-sync-delimited']));
  t.is(afterPing.at(-1), 'guest-get-host-name');
});

test('error replies become guest-agent-error with the agent description', async (t) => {
  const { session } = await peerSession(t, {
    handlers: {
      'guest-get-host-name': () => {
        throw new QgaPeerError('CommandDisabled', 'The command guest-get-host-name has been disabled for this instance');
      },
    },
  });
  const error = await t.throwsAsync(session.hostName());
  t.is(code(error), 'guest-agent-error');
  t.is(error?.message, 'The command guest-get-host-name has been disabled for this instance');
  t.like(isTwinboxError(error) ? error.details : {}, { class: 'CommandDisabled', command: 'guest-get-host-name' });
  await session.ping();
});

test('an unknown command is an agent error, not a broken session', async (t) => {
  const peer = await QgaPeer.start();
  t.teardown(() => peer.close());
  const transport = new QgaTransport(await peer.openChannel());
  t.teardown(() => transport.close());
  await transport.connect(5_000);
  const error = await t.throwsAsync(transport.call('guest-no-such-thing'));
  t.is(code(error), 'guest-agent-error');
  t.deepEqual(await transport.call('guest-ping'), {});
});

test('a closed channel rejects the pending call and the queued ones with guest-agent-disconnected', async (t) => {
  const { session, peer } = await peerSession(t, { onReply: (reply) => (reply.command === 'guest-ping' ? { drop: true } : undefined) });
  const pending = session.ping({ timeoutMs: 5_000 });
  const queued = [session.hostName(), session.osInfo()];
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  peer.dropConnections();
  for (const call of [pending, ...queued]) {
    const error = await t.throwsAsync(call);
    t.is(code(error), 'guest-agent-disconnected');
  }
  t.true(Date.now() - started < 3_000);
  t.is(code(await t.throwsAsync(session.ping())), 'guest-agent-disconnected');
});

test('concurrent calls are queued: one request in flight at a time, each gets its own reply', async (t) => {
  const { session, peer } = await peerSession(t, { hostName: 'queued', onReply: () => ({ delayMs: 15 }) });
  // Sync retries during connect overlap by design (a loaded machine can trigger them); only calls count here.
  peer.maxOutstanding = 0;
  const [host, os, info, , host2] = await Promise.all([session.hostName(), session.osInfo(), session.info(), session.ping(), session.hostName()]);
  t.is(host, 'queued');
  t.is(os.id, 'debian');
  t.true(info.commands.includes('guest-ping'));
  t.is(host2, 'queued');
  t.is(peer.maxOutstanding, 1);
});

test('shutdown does not wait for a reply and the session resyncs afterwards', async (t) => {
  const { session, peer } = await peerSession(t, {}, { shutdownSilenceMs: 100 });
  const started = Date.now();
  await session.shutdown('reboot');
  t.true(Date.now() - started < 2_000);
  await session.ping();
  // Checked after the ping: the agent handles requests in order, so it has seen the shutdown by now.
  t.deepEqual(peer.shutdowns, ['reboot']);
  t.deepEqual(
    peer.received.map((request) => request.command).slice(-2),
    ['guest-sync-delimited', 'guest-ping'],
  );
});

test('shutdown counts the channel closing as accepted', async (t) => {
  const { session, peer } = await peerSession(t, { closeAfterShutdownMs: 20 }, { shutdownSilenceMs: 10_000 });
  const started = Date.now();
  await session.shutdown();
  t.true(Date.now() - started < 5_000);
  t.deepEqual(peer.shutdowns, ['powerdown']);
});

test('shutdown rejected by the agent is an error', async (t) => {
  const { session } = await peerSession(t, {
    handlers: {
      'guest-shutdown': () => {
        throw new QgaPeerError('GenericError', 'shutdown is not permitted');
      },
    },
  });
  t.is(code(await t.throwsAsync(session.shutdown('halt'))), 'guest-agent-error');
});

test('connect waits for a guest that is still booting, retrying the sync', async (t) => {
  const { session, peer } = await peerSession(t, { bootDelayMs: 1_200 }, {}, { timeoutMs: 10_000 });
  await session.ping();
  t.true(commandsReceived(peer, 'guest-sync-delimited') >= 2);
});

test('connect retries when sync replies are lost', async (t) => {
  let syncs = 0;
  const { session, peer } = await peerSession(t, { onReply: (reply) => (reply.command === 'guest-sync-delimited' && ++syncs <= 2 ? { drop: true } : undefined) });
  await session.ping();
  t.true(commandsReceived(peer, 'guest-sync-delimited') >= 3);
});

test('connect to an agent that never answers times out and releases the channel', async (t) => {
  const peer = await QgaPeer.start({ handlers: { 'guest-sync-delimited': () => NO_REPLY } });
  t.teardown(() => peer.close());
  const channel = await peer.openChannel();
  const started = Date.now();
  const error = await t.throwsAsync(new QgaGuestAgentPlugin().connect(channel, { timeoutMs: 800 }));
  t.is(code(error), 'guest-agent-timeout');
  t.true(isTwinboxError(error) && error.exit === 'timeout');
  t.true(Date.now() - started < 4_000);
  t.true(channel.destroyed);
});

test('connect can be cancelled', async (t) => {
  const peer = await QgaPeer.start({ handlers: { 'guest-sync-delimited': () => NO_REPLY } });
  t.teardown(() => peer.close());
  const error = await t.throwsAsync(new QgaGuestAgentPlugin().connect(await peer.openChannel(), { timeoutMs: 10_000, signal: AbortSignal.timeout(100) }));
  t.is(code(error), 'cancelled');
});
