/** Small process helpers the end-to-end tests share: run a program, require success, probe for tools and pids. */
import { execFile, execFileSync } from 'node:child_process';

export interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs `program` with `args` (no shell) and resolves with its exit code and output, never rejecting. */
export function run(program: string, args: string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(program, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The result of a run that had to succeed; otherwise an error with its output. */
export function ok(result: Run, what: string): Run {
  if (result.exitCode !== 0) throw new Error(`${what} exited ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Whether `program` is on PATH (asked of sh's `command -v`, the name passed as an argument). */
export function has(program: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', program], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether a process with this pid exists (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
