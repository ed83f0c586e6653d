import { randomBytes, randomInt } from 'node:crypto';

const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '-_.!'];

/**
 * A password for one RemoteApp launch: 192 random bits, plus one character of each class so
 * that Windows' complexity rule (three of upper, lower, digit, symbol) always accepts it. No
 * newline: FreeRDP reads it from standard input up to the first one.
 */
export function oneTimePassword(): string {
  return randomBytes(24).toString('base64url') + CLASSES.map((chars) => chars[randomInt(chars.length)]).join('');
}
