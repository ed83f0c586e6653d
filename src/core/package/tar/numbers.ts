import { TarError } from './tar-error.js';

/**
 * Numeric header fields: octal ASCII, or GNU's base-256 (high bit of the first byte set) for
 * values octal cannot hold — sizes of 8 GiB and more.
 */
export function parseNumber(field: Buffer, what: string): number {
  if (field[0] !== undefined && (field[0] & 0x80) !== 0) {
    if (field[0] === 0xff) throw new TarError('bad-header', `negative ${what} in a header`);
    let value = field[0] & 0x7f;
    for (const byte of field.subarray(1)) {
      value = value * 256 + byte;
      if (value > Number.MAX_SAFE_INTEGER) throw new TarError('bad-header', `${what} too large in a header`);
    }
    return value;
  }
  const text = field.toString('latin1').replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError('bad-header', `${what} "${text}" is not an octal number`);
  const value = Number.parseInt(text, 8);
  if (!Number.isSafeInteger(value)) throw new TarError('bad-header', `${what} too large in a header`);
  return value;
}

/** The largest value an octal field of `width` bytes holds (one byte is the terminator). */
export function octalLimit(width: number): number {
  return 8 ** (width - 1) - 1;
}

/** Writes `value` into the field: octal when it fits, base-256 otherwise. */
export function writeNumber(target: Buffer, offset: number, width: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot store ${value} in a tar header`);
  if (value <= octalLimit(width)) {
    target.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'latin1');
    return;
  }
  let rest = value;
  for (let index = width - 1; index > 0; index--) {
    target[offset + index] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  target[offset] = 0x80;
}
