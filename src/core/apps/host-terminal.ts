import type { ReadStream, WriteStream } from 'node:tty';
import type { HostTerminal } from './run-app.js';

/** The process's own terminal for an interactive app, or undefined when stdin or stdout is not one. */
export function processTerminal(stdin: NodeJS.ReadStream = process.stdin, stdout: NodeJS.WriteStream = process.stdout): HostTerminal | undefined {
  const input = stdin as ReadStream;
  const output = stdout as WriteStream;
  if (!input.isTTY || !output.isTTY) return undefined;
  return {
    size: () => ({ rows: output.rows || 24, cols: output.columns || 80 }),
    setRawMode: (on) => input.setRawMode(on),
    onResize: (listener) => {
      output.on('resize', listener);
      return () => output.off('resize', listener);
    },
  };
}
