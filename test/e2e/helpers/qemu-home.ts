/** What the real-QEMU journeys share: their QEMU processes, the guests' console logs, twinbox runs that must succeed. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { twinbox, type CliResult } from '../../helpers/cli.js';

export function qemuPidsUnder(folder: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', 'qemu-system'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

export function consoleLogs(home: string): string {
  const logs: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'console.log') logs.push(`--- ${path}\n${readFileSync(path, 'utf8').split('\n').slice(-40).join('\n')}`);
    }
  };
  if (existsSync(home)) walk(home);
  return logs.join('\n') || '(no console log)';
}

/** `twinbox ARGS` with TWINBOX_HOME=home (and `env`), which must exit 0 within `timeoutMs`. */
export async function ok(t: ExecutionContext, home: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliResult> {
  const result = await twinbox(args, { TWINBOX_HOME: home, ...env }, undefined, timeoutMs);
  if (result.exitCode !== 0) t.log(`twinbox ${args.join(' ')} failed:\n${result.stderr}\n${consoleLogs(home)}`);
  t.is(result.exitCode, 0, `twinbox ${args.join(' ')}: ${result.stderr.trim()}`);
  return result;
}
