/** The error classes the QEMU guest agent reports (qapi ErrorClass). */
export type QgaErrorClass = 'GenericError' | 'CommandNotFound';

/** Thrown by a command handler; the agent server turns it into `{"error":{class,desc}}`. */
export class QgaError extends Error {
  constructor(
    readonly errorClass: QgaErrorClass,
    readonly desc: string,
  ) {
    super(desc);
  }
}

export type QgaArgs = Record<string, unknown>;

export interface QgaCommand {
  run(args: QgaArgs): Promise<unknown> | unknown;
  /** False for commands that, like guest-shutdown, never answer on success. */
  successResponse?: boolean;
}

export function missing(name: string): QgaError {
  return new QgaError('GenericError', `Parameter '${name}' is missing`);
}

export function badType(name: string, expected: string): QgaError {
  return new QgaError('GenericError', `Invalid parameter type for '${name}', expected: ${expected}`);
}

export function intArg(args: QgaArgs, name: string, fallback?: number): number {
  const value = args[name];
  if (value === undefined) {
    if (fallback === undefined) throw missing(name);
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badType(name, 'integer');
  return value;
}

export function stringArg(args: QgaArgs, name: string): string;
export function stringArg(args: QgaArgs, name: string, optional: true): string | undefined;
export function stringArg(args: QgaArgs, name: string, optional = false): string | undefined {
  const value = args[name];
  if (value === undefined) {
    if (optional) return undefined;
    throw missing(name);
  }
  if (typeof value !== 'string') throw badType(name, 'string');
  return value;
}

export function stringListArg(args: QgaArgs, name: string): string[] {
  const value = args[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw badType(name, 'array of strings');
  return value as string[];
}

export function base64Arg(args: QgaArgs, name: string, optional = false): Buffer | undefined {
  const text = optional ? stringArg(args, name, true) : stringArg(args, name);
  if (text === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, ''))) {
    throw new QgaError('GenericError', `Parameter '${name}' is not valid base64`);
  }
  return Buffer.from(text, 'base64');
}
