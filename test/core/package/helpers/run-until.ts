import { spawn } from 'node:child_process';
import { TWINBOX_BIN, type CliResult } from '../../../helpers/cli.js';

/**
 * Runs twinbox and sends `signal` as soon as its stderr matches `trigger` (a progress line):
 * an interruption in the middle of the work, not before or after it.
 */
export function runUntil(args: string[], env: NodeJS.ProcessEnv, trigger: RegExp, signal: NodeJS.Signals): Promise<CliResult & { triggered: boolean; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TWINBOX_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let triggered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!triggered && trigger.test(stderr)) {
        triggered = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code, received) => {
      resolve({ exitCode: code ?? (received === 'SIGKILL' ? 137 : 1), stdout, stderr, triggered, pid: child.pid! });
    });
  });
}
