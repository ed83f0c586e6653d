import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TWINBOX_BIN = fileURLToPath(new URL('../../../bin/twinbox.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the real twinbox executable in a child process; `input`, when given, is its whole standard input. */
export function twinbox(args: string[], env: NodeJS.ProcessEnv = {}, input?: string, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [TWINBOX_BIN, ...args], { env: { ...process.env, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ exitCode, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
