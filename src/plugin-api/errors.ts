/**
 * Exit codes are part of twinbox's interface: scripts and software-distribution systems
 * branch on them. They never change meaning.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  verification: 3,
  denied: 4,
  timeout: 5,
  busy: 75,
} as const;
export type ExitCodeName = keyof typeof ExitCode;

export interface TwinboxErrorOptions {
  /** What the user can do about it, one line. */
  hint?: string;
  /** Which exit code the CLI ends with. */
  exit?: ExitCodeName;
  cause?: unknown;
  /** Structured facts for `--json` output and the event log. */
  details?: Record<string, unknown>;
}

/**
 * The one error type users see: a stable machine-readable `code`, a one-line message, a hint
 * with the fix and the exit code the CLI ends with. Plugins throw it too.
 */
export class TwinboxError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly exit: ExitCodeName;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, options: TwinboxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TwinboxError';
    this.code = code;
    this.hint = options.hint;
    this.exit = options.exit ?? 'failed';
    this.details = options.details;
  }

  get exitCode(): number {
    return ExitCode[this.exit];
  }
}

export function isTwinboxError(error: unknown): error is TwinboxError {
  return error instanceof Error && (error as { name?: string }).name === 'TwinboxError' && typeof (error as TwinboxError).code === 'string';
}
