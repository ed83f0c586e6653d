import { isTwinboxError, TwinboxError, type CallOptions } from 'twinbox/plugin-api';
import { REDACTED } from '../protocol/trace.js';
import type { QgaCaller } from '../protocol/transport.js';

export const SET_USER_PASSWORD = 'guest-set-user-password';

/** qemu-ga's own rules (it writes `user:password\n` to chpasswd), checked before anything is sent. */
function checkRequest(user: string, password: string): void {
  if (user === '' || /[:\n\r\0]/.test(user)) {
    throw new TwinboxError('invalid-user-name', `invalid guest account name ${JSON.stringify(user)}`, {
      hint: 'use the name of an existing account in the guest, without ":" or line breaks',
      exit: 'usage',
      details: { user },
    });
  }
  if (password === '' || /[\n\r\0]/.test(password)) {
    // The password itself stays out of the message.
    throw new TwinboxError('invalid-password', 'the new guest password is empty or contains a line break or NUL', {
      hint: 'use a non-empty password on one line',
      exit: 'usage',
      details: { user },
    });
  }
}

/** Agent text never echoes a password today; if a future agent did, it must not reach a log. */
function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.replaceAll(secret, REDACTED), text);
}

function isUnsupported(errorClass: unknown, desc: string): boolean {
  // Blocked with --block-rpcs or unknown to an old agent: CommandNotFound; a build without it: "not currently supported".
  return errorClass === 'CommandNotFound' || /not currently supported|has been disabled|has not been found/i.test(desc);
}

/**
 * `guest-set-user-password` with the password base64-encoded and `crypted: false`: the agent
 * hashes it in the guest (chpasswd on Linux, NetUserSetInfo on Windows). The password goes
 * only into the request; errors carry the agent's text with it scrubbed out.
 */
export async function setUserPassword(caller: QgaCaller, user: string, password: string, options: CallOptions = {}): Promise<void> {
  checkRequest(user, password);
  const encoded = Buffer.from(password, 'utf8').toString('base64');
  try {
    await caller.call(SET_USER_PASSWORD, { username: user, password: encoded, crypted: false }, options);
  } catch (error) {
    if (!isTwinboxError(error) || error.code !== 'guest-agent-error') throw error;
    const errorClass = error.details?.class;
    const desc = scrub(error.message, [password, encoded]);
    if (isUnsupported(errorClass, desc)) {
      throw new TwinboxError('guest-agent-unsupported', `the guest agent cannot set passwords: ${desc}`, {
        hint: `enable ${SET_USER_PASSWORD} in the guest's qemu-guest-agent (it must not be in --block-rpcs), or update the agent`,
        details: { command: SET_USER_PASSWORD, class: errorClass, user },
      });
    }
    throw new TwinboxError('guest-password-failed', `could not set the password of ${user} in the guest: ${desc}`, {
      hint: `check that the account ${user} exists in the guest and that chpasswd is installed there (qemu-ga runs it)`,
      details: { command: SET_USER_PASSWORD, class: errorClass, user },
    });
  }
}
