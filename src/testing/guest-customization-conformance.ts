import type { Duplex } from 'node:stream';
// Types only: the suite must load where ava is a dev dependency of someone else.
import type { TestFn } from 'ava';
import type { GuestAgentPlugin, GuestAgentSession } from '../plugin-api/index.js';
import { customizerFor } from '../core/setup/guest/guest-customizer.js';
import type { GuestCustomizer } from '../core/setup/guest/customizer-types.js';

export interface GuestCustomizationConformanceOptions {
  /** Prefix of every test title: the guest family and how it runs ("Debian 12 on QEMU"). */
  name: string;
  createPlugin: () => GuestAgentPlugin | Promise<GuestAgentPlugin>;
  /** A fresh channel to the running guest's agent, once per test. */
  openChannel: () => Promise<Duplex>;
  /** Passed to `connect`; a guest still booting needs longer. Default 30 s. */
  connectTimeoutMs?: number;
  /** Each step's time limit. Default 60 s (a guest under software emulation is slow). */
  stepTimeoutMs?: number;
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/**
 * First-time setup's guest customisation, step by step, against a running Linux guest: the
 * same steps `twinbox setup` runs (computer name, time zone, locale, user, a staged script),
 * each checked by reading back what the guest now holds. Run against every guest family twinbox
 * knows (the busybox guest, a real Debian with systemd, the fake), so a new family is one
 * fixture away. The tests change the guest: give it a throwaway VM. Serial: one agent, one client.
 */
export function guestCustomizationConformance<Context>(test: TestFn<Context>, options: GuestCustomizationConformanceOptions): void {
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const timeoutMs = options.stepTimeoutMs ?? 60_000;
  const title = (what: string) => `${options.name}: ${what}`;

  async function withGuest(work: (session: GuestAgentSession, customizer: GuestCustomizer) => Promise<void>): Promise<void> {
    const plugin = await options.createPlugin();
    const channel = await options.openChannel();
    let session: GuestAgentSession;
    try {
      session = await plugin.connect(channel, { timeoutMs: connectTimeoutMs });
    } catch (error) {
      channel.destroy();
      throw error;
    }
    try {
      await work(session, await customizerFor(session, timeoutMs));
    } finally {
      await session.close();
    }
  }

  const read = async (session: GuestAgentSession, path: string) => text(await session.readFile(path, { timeoutMs }));

  test.serial(title('the Linux customizer is picked from the OS the guest agent reports'), async (t) => {
    await withGuest(async (_session, customizer) => {
      t.is(customizer.family, 'linux');
    });
  });

  test.serial(title('the computer name is set, kept in /etc/hostname and reported back by the agent'), async (t) => {
    await withGuest(async (session, customizer) => {
      await customizer.setComputerName(session, 'CONFORM-42', timeoutMs);
      t.is(await customizer.computerName(session, timeoutMs), 'CONFORM-42');
      t.is(await read(session, '/etc/hostname'), 'CONFORM-42\n');
    });
  });

  test.serial(title('the time zone is written where Debian and busybox read it'), async (t) => {
    await withGuest(async (session, customizer) => {
      const warnings = await customizer.setTimeZone(session, 'Europe/Paris', timeoutMs);
      t.is(await read(session, '/etc/timezone'), 'Europe/Paris\n');
      // A guest without zoneinfo says so instead of failing the step.
      t.true(warnings.every((line) => line.includes('Europe/Paris')), warnings.join('\n'));
    });
  });

  test.serial(title('the locale is written to /etc/default/locale and /etc/locale.conf'), async (t) => {
    await withGuest(async (session, customizer) => {
      t.deepEqual(await customizer.setLocale(session, 'fr_FR.UTF-8', timeoutMs), []);
      t.is(await read(session, '/etc/default/locale'), 'LANG=fr_FR.UTF-8\n');
      t.is(await read(session, '/etc/locale.conf'), 'LANG=fr_FR.UTF-8\n');
    });
  });

  test.serial(title('a user is created once, in the admins group; asking again changes nothing'), async (t) => {
    await withGuest(async (session, customizer) => {
      await customizer.ensureUser(session, { name: 'conform', addToAdmins: true }, timeoutMs);
      const passwd = await read(session, '/etc/passwd');
      const group = await read(session, '/etc/group');
      await customizer.ensureUser(session, { name: 'conform', addToAdmins: true }, timeoutMs);
      t.is(await read(session, '/etc/passwd'), passwd, 'the second call left /etc/passwd as it was');
      t.is(await read(session, '/etc/group'), group, 'the second call left /etc/group as it was');
      t.is(passwd.split('\n').filter((line) => line.startsWith('conform:')).length, 1);
      const admins = group.split('\n').find((line) => /^(?:sudo|wheel):/.test(line) && line.split(':')[3]?.split(',').includes('conform'));
      t.truthy(admins, `conform is in sudo or wheel:\n${group}`);
    });
  });

  test.serial(title('a staged script runs by its own #! line with the workspace facts in its environment, and its exit code comes back'), async (t) => {
    await withGuest(async (session, customizer) => {
      const path = await customizer.stageScript(session, 'conform.sh', Buffer.from('#!/bin/sh\necho "ran for $TWINBOX_WORKSPACE on $TWINBOX_COMPUTER_NAME"\nexit 3\n'), timeoutMs);
      const result = await customizer.runScript(session, path, { workspace: 'conform', computerName: 'CONFORM-42' }, timeoutMs);
      t.is(result.exitCode, 3);
      t.is(text(result.stdout).trim(), 'ran for conform on CONFORM-42');
    });
  });
}
