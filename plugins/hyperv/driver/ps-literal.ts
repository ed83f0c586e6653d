import { TwinboxError } from 'twinbox/plugin-api';

/**
 * A value as a PowerShell expression that evaluates to exactly that string, so no value is
 * ever interpolated into a script. ASCII text becomes a single-quoted literal (the only
 * special character inside is `'`, doubled). Anything else is decoded from base64 at run
 * time: PowerShell also treats the typographic quotes U+2018–U+201B as quote marks, and
 * non-ASCII text would pass through the console's code page on the way in.
 */
export function psString(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new TwinboxError('invalid-argument', `a value for PowerShell contains control characters: ${JSON.stringify(value)}`, { hint: 'remove line breaks and control characters from names and paths', exit: 'usage' });
  }
  if (/^[\x20-\x7e]*$/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return `([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from(value, 'utf8').toString('base64')}')))`;
}

/** A whole number as a PowerShell literal. */
export function psInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TwinboxError('invalid-argument', `${value} is not a whole number`, { hint: 'use a whole number', exit: 'usage' });
  return String(value);
}
