const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Signal = (typeof SIGNALS)[number];
const EXIT_CODES: Record<Signal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * conf's atomic writer (when-exit) answers a signal by re-sending it to this process right
 * away; a repeat that soon is that echo, not the user pressing Ctrl-C again.
 */
const ECHO_MS = 1000;

export interface InterruptWatch {
  /** Aborted on Ctrl-C or SIGTERM: long operations clean up and stop. */
  signal: AbortSignal;
  /** The exit code for the signal received (128 + its number), once one has been. */
  exitCode(): number | undefined;
  dispose(): void;
}

/**
 * Turns Ctrl-C and SIGTERM into an abort, so that pack and install remove their partial
 * files before exiting instead of dying mid-write. Pressing Ctrl-C again later exits at once.
 */
export function watchInterrupts(now: () => number = Date.now): InterruptWatch {
  const controller = new AbortController();
  let received: { name: Signal; at: number } | undefined;
  const handler = (name: Signal) => {
    if (received) {
      if (now() - received.at > ECHO_MS) process.exit(EXIT_CODES[name]);
      return;
    }
    received = { name, at: now() };
    controller.abort(new Error(`interrupted by ${name}`));
  };
  const listeners = SIGNALS.map((name) => [name, () => handler(name)] as const);
  for (const [name, listener] of listeners) process.on(name, listener);
  return {
    signal: controller.signal,
    exitCode: () => (received ? EXIT_CODES[received.name] : undefined),
    dispose: () => {
      for (const [name, listener] of listeners) process.off(name, listener);
    },
  };
}
