import test from 'ava';
import { isTwinboxError, type PluginLogger, type TwinboxError } from '../../../src/plugin-api/index.js';
import { QgaPeerError } from '../../../src/testing/qga-peer.js';
import { traceArguments } from '../../../plugins/qga/protocol/trace.js';
import { peerSession } from './peer-session.js';

const PASSWORD = 'Tb-one-time-9f3c·ü';
const ENCODED = Buffer.from(PASSWORD, 'utf8').toString('base64');

/** Every line a logger was given, as the event log would store it. */
function capturingLogger(): { logger: PluginLogger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push(JSON.stringify({ level, message, fields }));
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

/** The whole error as a user, `--json` or the event log could see it. */
function everything(error: TwinboxError): string {
  return JSON.stringify({ message: error.message, hint: error.hint, details: error.details, cause: String(error.cause ?? '') });
}

function setPasswordRequests(peer: { received: { command: string; arguments: Record<string, unknown> }[] }) {
  return peer.received.filter((request) => request.command === 'guest-set-user-password');
}

test('setUserPassword sends the user, the password in base64 and crypted false', async (t) => {
  const { session, peer } = await peerSession(t, { handlers: { 'guest-set-user-password': () => ({}) } });
  await session.setUserPassword?.('twinbox', PASSWORD);
  t.deepEqual(
    setPasswordRequests(peer).map((request) => request.arguments),
    [{ username: 'twinbox', password: ENCODED, crypted: false }],
  );
});

test('a traced setUserPassword call shows the command but never the password', async (t) => {
  const { logger, lines } = capturingLogger();
  const { session } = await peerSession(t, { handlers: { 'guest-set-user-password': () => ({}) } }, { logger });
  await session.setUserPassword?.('twinbox', PASSWORD);
  const traced = lines.filter((line) => line.includes('guest-set-user-password'));
  t.is(traced.length, 1, lines.join('\n'));
  t.like(JSON.parse(traced[0] ?? '{}'), { level: 'debug', fields: { command: 'guest-set-user-password', arguments: { username: 'twinbox', password: '[redacted]', crypted: false } } });
  const all = lines.join('\n');
  t.false(all.includes(PASSWORD));
  t.false(all.includes(ENCODED));
});

test('the request trace shows program input and file chunks by their size only', (t) => {
  const traced = traceArguments({ handle: 3, 'buf-b64': Buffer.from('secret file content').toString('base64') });
  t.deepEqual(traced, { handle: 3, 'buf-b64': '[19 bytes]' });
  t.deepEqual(traceArguments({ path: '/bin/cat', arg: [], 'input-data': Buffer.from(PASSWORD).toString('base64') }), { path: '/bin/cat', arg: [], 'input-data': `[${Buffer.byteLength(PASSWORD)} bytes]` });
});

test('an agent error reaches the caller with its text but without the password', async (t) => {
  const { session } = await peerSession(t, {
    handlers: {
      // An agent that echoes what it was given: the worst case for a secret.
      'guest-set-user-password': (args) => {
        throw new QgaPeerError('GenericError', `chpasswd rejected ${String(args.password)} (${PASSWORD})`);
      },
    },
  });
  const error = await t.throwsAsync(session.setUserPassword!('twinbox', PASSWORD), { code: 'guest-password-failed' });
  t.true(isTwinboxError(error));
  t.is(error?.message, 'could not set the password of twinbox in the guest: chpasswd rejected [redacted] ([redacted])');
  t.regex((error as TwinboxError).hint ?? '', /account twinbox exists/);
  t.false(everything(error as TwinboxError).includes(PASSWORD));
  t.false(everything(error as TwinboxError).includes(ENCODED));
});

test('an unknown account gives qemu-ga\'s chpasswd failure as a clear error', async (t) => {
  const { session } = await peerSession(t, {
    handlers: {
      'guest-set-user-password': () => {
        throw new QgaPeerError('GenericError', 'child process has failed to set user password');
      },
    },
  });
  const error = await t.throwsAsync(session.setUserPassword!('nobody-here', PASSWORD), { code: 'guest-password-failed' });
  t.is(error?.message, 'could not set the password of nobody-here in the guest: child process has failed to set user password');
  t.like((error as TwinboxError).details, { command: 'guest-set-user-password', class: 'GenericError', user: 'nobody-here' });
});

test('an agent that blocks or lacks guest-set-user-password is reported as unsupported with a hint', async (t) => {
  const { session } = await peerSession(t, {
    handlers: {
      'guest-set-user-password': () => {
        throw new QgaPeerError('CommandNotFound', 'The command guest-set-user-password has been disabled for this instance');
      },
    },
  });
  const error = await t.throwsAsync(session.setUserPassword!('twinbox', PASSWORD), { code: 'guest-agent-unsupported' });
  t.regex(error?.message ?? '', /cannot set passwords: The command guest-set-user-password has been disabled/);
  t.regex((error as TwinboxError).hint ?? '', /--block-rpcs/);

  const { session: old } = await peerSession(t);
  await t.throwsAsync(old.setUserPassword!('twinbox', PASSWORD), { code: 'guest-agent-unsupported' });
});

test('names and passwords qemu-ga would refuse are rejected before anything is sent, without echoing the password', async (t) => {
  const { session, peer } = await peerSession(t, { handlers: { 'guest-set-user-password': () => ({}) } });
  for (const user of ['', 'a:b', 'line\nbreak']) {
    await t.throwsAsync(session.setUserPassword!(user, PASSWORD), { code: 'invalid-user-name' }, JSON.stringify(user));
  }
  for (const password of ['', `${PASSWORD}\nroot:x`, 'nul\0']) {
    const error = await t.throwsAsync(session.setUserPassword!('twinbox', password), { code: 'invalid-password' });
    t.is((error as TwinboxError).exit, 'usage');
    if (password !== '') t.false(everything(error as TwinboxError).includes(password));
  }
  t.is(setPasswordRequests(peer).length, 0);
});

test('a setUserPassword that gets no answer times out without the password in the error', async (t) => {
  const { session } = await peerSession(t, {
    handlers: { 'guest-set-user-password': () => ({}) },
    onReply: (reply) => (reply.command === 'guest-set-user-password' ? { drop: true } : undefined),
  });
  const error = await t.throwsAsync(session.setUserPassword!('twinbox', PASSWORD, { timeoutMs: 50 }), { code: 'guest-agent-timeout' });
  t.false(everything(error as TwinboxError).includes(PASSWORD));
  t.false(everything(error as TwinboxError).includes(ENCODED));
  // The session resyncs and keeps working.
  await t.notThrowsAsync(session.ping());
});
