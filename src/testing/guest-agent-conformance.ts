import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
// Types only: the suite must load where ava is a dev dependency of someone else.
import type { ExecutionContext, TestFn } from 'ava';
import { isTwinboxError, type GuestAgentPlugin, type GuestAgentSession } from '../plugin-api/index.js';

export interface GuestAgentConformanceOptions {
  /** Prefix of every test title (the plugin's name, say); default "guest agent". */
  name?: string;
  createPlugin: () => GuestAgentPlugin | Promise<GuestAgentPlugin>;
  /** A fresh channel to a running guest's agent, once per test. */
  openChannel: () => Promise<Duplex>;
  /** Facts about the guest to check; without them the tests check only the shape of answers. */
  expect?: { hostName?: string; osId?: string; apps?: string[] };
  /** Passed to `connect`; a guest that is still booting needs longer. Default 30 s. */
  connectTimeoutMs?: number;
  /** Guest folder for scratch files (removed afterwards). Default `/tmp`. */
  scratchDir?: string;
  /**
   * An account whose password the suite may set (optional `setUserPassword`), and a way to
   * check the password the guest now has; without it only a missing account is tried.
   */
  userPassword?: { user: string; verify?: (user: string, password: string) => Promise<boolean> };
}

const APP_KINDS = new Set(['command', 'terminal', 'gui']);

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

function errorCode(error: unknown): string | undefined {
  return isTwinboxError(error) ? error.code : undefined;
}

/**
 * The behaviour every guest-agent plugin must show against a running Linux guest (the tests
 * run `/bin/sh`, `/bin/cat` and `/bin/sleep` there). Tests are serial because a guest agent
 * serves one client at a time.
 */
export function guestAgentConformance<Context>(test: TestFn<Context>, options: GuestAgentConformanceOptions): void {
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const scratchDir = options.scratchDir ?? '/tmp';

  async function connect(): Promise<{ session: GuestAgentSession; channel: Duplex }> {
    const plugin = await options.createPlugin();
    const channel = await options.openChannel();
    try {
      return { session: await plugin.connect(channel, { timeoutMs: connectTimeoutMs }), channel };
    } catch (error) {
      channel.destroy();
      throw error;
    }
  }

  async function withSession(work: (session: GuestAgentSession, channel: Duplex) => Promise<void>): Promise<void> {
    const { session, channel } = await connect();
    try {
      await work(session, channel);
    } finally {
      await session.close();
    }
  }

  // Titles are fixed when tests register, before createPlugin could tell the plugin's name.
  const title = (sentence: string): string => `${options.name ?? 'guest agent'}: ${sentence}`;
  const serial = (sentence: string, body: (t: ExecutionContext<Context>) => Promise<void>): void => {
    test.serial(title(sentence), body);
  };

  serial('connect resyncs with the agent and yields a working session', async (t) => {
    await withSession(async (session) => {
      await t.notThrowsAsync(session.ping());
    });
    // A second client after the first has gone must get a clean stream too.
    await withSession(async (session) => {
      await t.notThrowsAsync(session.ping());
    });
  });

  serial('ping is answered', async (t) => {
    await withSession(async (session) => {
      await session.ping();
      await session.ping({ timeoutMs: 5_000 });
      t.pass();
    });
  });

  serial('info reports a version and lists guest-ping among the enabled commands', async (t) => {
    await withSession(async (session) => {
      const info = await session.info();
      t.is(typeof info.version, 'string');
      t.true(info.version.length > 0);
      t.true(info.commands.includes('guest-ping'), `commands: ${info.commands.join(', ')}`);
    });
  });

  serial('osInfo reports an OS id', async (t) => {
    await withSession(async (session) => {
      const os = await session.osInfo();
      t.regex(os.id, /^\S+$/);
      t.is(typeof os.name, 'string');
      if (options.expect?.osId !== undefined) t.is(os.id, options.expect.osId);
    });
  });

  serial("hostName reports the guest's host name", async (t) => {
    await withSession(async (session) => {
      const name = await session.hostName();
      t.true(name.length > 0);
      if (options.expect?.hostName !== undefined) t.is(name, options.expect.hostName);
    });
  });

  serial('exec returns standard output, standard error and the exit code', async (t) => {
    await withSession(async (session) => {
      const result = await session.exec({ path: '/bin/sh', args: ['-c', 'echo out; echo err >&2; exit 3'], timeoutMs: 30_000 });
      t.is(result.exitCode, 3);
      t.is(text(result.stdout), 'out\n');
      t.is(text(result.stderr), 'err\n');
    });
  });

  serial('exec feeds input bytes to the program unchanged', async (t) => {
    await withSession(async (session) => {
      const input = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), randomBytes(10_000)]);
      const result = await session.exec({ path: '/bin/cat', input, timeoutMs: 30_000 });
      t.is(result.exitCode, 0);
      t.true(Buffer.from(result.stdout).equals(input), `got ${result.stdout.length} bytes back of ${input.length}`);
    });
  });

  serial('writeFile then readFile returns the same bytes, binary and larger than 64 KiB', async (t) => {
    await withSession(async (session) => {
      const path = `${scratchDir}/twinbox-conformance-${randomBytes(6).toString('hex')}`;
      const payloads = {
        empty: new Uint8Array(0),
        binary: new Uint8Array(Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), randomBytes(150 * 1024)])),
      };
      try {
        for (const [label, data] of Object.entries(payloads)) {
          await session.writeFile(path, data);
          const back = await session.readFile(path);
          t.is(back.length, data.length, label);
          t.true(Buffer.from(back).equals(Buffer.from(data)), label);
        }
      } finally {
        // TWINBOX_GUEST_ROOT: a simulated guest maps its `/` onto a host folder.
        await session.exec({ path: '/bin/sh', args: ['-c', 'rm -f "${TWINBOX_GUEST_ROOT:-}$1"', 'sh', path], timeoutMs: 30_000 }).catch(() => undefined);
      }
    });
  });

  serial('listApps returns runnable apps with stable ids', async (t) => {
    await withSession(async (session) => {
      const apps = await session.listApps();
      for (const app of apps) {
        t.regex(app.id, /\S/);
        t.true(app.name.length > 0, app.id);
        t.true(APP_KINDS.has(app.kind), `${app.id}: kind ${app.kind}`);
        t.true(app.command.length > 0 && app.command[0] !== '', `${app.id}: command`);
        t.is(typeof app.source, 'string');
      }
      t.is(new Set(apps.map((app) => app.id)).size, apps.length, 'ids are unique');
      const ids = apps.map((app) => app.id);
      for (const expected of options.expect?.apps ?? []) t.true(ids.includes(expected), `${expected} in ${ids.join(', ')}`);
    });
  });

  serial('an exec that outlives its timeout rejects with guest-agent-timeout and the session keeps working', async (t) => {
    await withSession(async (session) => {
      const error = await t.throwsAsync(session.exec({ path: '/bin/sleep', args: ['5'], timeoutMs: 300 }));
      t.is(errorCode(error), 'guest-agent-timeout');
      await session.ping();
      const result = await session.exec({ path: '/bin/sh', args: ['-c', 'echo after'], timeoutMs: 30_000 });
      t.is(text(result.stdout), 'after\n');
    });
  });

  serial('calls given almost no time either answer or time out, and the session resyncs after them', async (t) => {
    await withSession(async (session) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await session.ping({ timeoutMs: 1 });
        } catch (error) {
          t.is(errorCode(error), 'guest-agent-timeout');
        }
      }
      // A late reply to one of those pings, taken for this call's, would lack the command list.
      const info = await session.info({ timeoutMs: 10_000 });
      t.true(info.commands.includes('guest-ping'));
      t.true((await session.hostName({ timeoutMs: 10_000 })).length > 0);
    });
  });

  /** setUserPassword is optional: a session without it, or an agent that does not list the command, skips the tests. */
  async function passwordSetter(t: ExecutionContext<Context>, session: GuestAgentSession): Promise<((user: string, password: string) => Promise<void>) | undefined> {
    const set = session.setUserPassword?.bind(session);
    if (!set) {
      t.log('skipped: the session has no setUserPassword');
      return undefined;
    }
    if (!(await session.info()).commands.includes('guest-set-user-password')) {
      t.log('skipped: the agent does not offer guest-set-user-password');
      return undefined;
    }
    return set;
  }

  serial('setUserPassword gives an existing account the new password', async (t) => {
    await withSession(async (session) => {
      const account = options.userPassword;
      const setPassword = account ? await passwordSetter(t, session) : undefined;
      if (!account || !setPassword) {
        if (!account) t.log('skipped: no account to set a password for');
        t.pass();
        return;
      }
      const password = `tb-${randomBytes(9).toString('base64url')}`;
      await setPassword(account.user, password);
      if (account.verify) {
        t.true(await account.verify(account.user, password), 'the guest accepts the new password');
        t.false(await account.verify(account.user, `${password}-not`), 'and only that one');
      } else {
        t.pass();
      }
    });
  });

  serial('setUserPassword for an account the guest lacks rejects without the password in the error', async (t) => {
    await withSession(async (session) => {
      const setPassword = await passwordSetter(t, session);
      if (!setPassword) {
        t.pass();
        return;
      }
      const password = `tb-${randomBytes(9).toString('base64url')}`;
      const error = await t.throwsAsync(setPassword(`nouser${randomBytes(4).toString('hex')}`, password));
      t.true(isTwinboxError(error), String(error));
      t.false(JSON.stringify({ message: error?.message, details: isTwinboxError(error) ? error.details : undefined }).includes(password));
      await t.notThrowsAsync(session.ping(), 'the session keeps working');
    });
  });

  serial('close releases the channel and later calls reject with guest-agent-disconnected', async (t) => {
    const { session, channel } = await connect();
    await session.ping();
    await session.close();
    t.true(channel.destroyed || channel.writableEnded, 'channel released');
    const error = await t.throwsAsync(session.ping());
    t.is(errorCode(error), 'guest-agent-disconnected');
    await t.notThrowsAsync(session.close(), 'close twice is harmless');
    await withSession(async (again) => {
      await t.notThrowsAsync(again.ping());
    });
  });
}
