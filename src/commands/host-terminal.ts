import type { ReadStream, WriteStream } from 'node:tty';
import type { HostTerminal } from '../core/apps/run-app.js';

/** The user's terminal, when both standard input and output are one. */
export function hostTerminal(): HostTerminal | undefined {
  const stdin = process.stdin as ReadStream;
  const stdout = process.stdout as WriteStream;
  if (!stdin.isTTY || !stdout.isTTY) return undefined;
  return {
    size: () => ({ rows: stdout.rows || 24, cols: stdout.columns || 80 }),
    setRawMode: (on) => stdin.setRawMode(on),
    onResize: (listener) => {
      stdout.on('resize', listener);
      return () => stdout.off('resize', listener);
    },
  };
}
