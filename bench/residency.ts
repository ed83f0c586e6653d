/**
 * Resident memory of a process while it runs, sampled from /proc every 50 ms: the figure the
 * memory benches report, always beside the same figure of a bare `node` that only waits.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { median } from './measure.js';

const SAMPLE_MS = 50;
export const MiB = 1024 ** 2;

export interface Residency {
  /** Median resident set while the process ran. */
  medianBytes: number;
  /** The high-water mark the kernel reported last. */
  peakBytes: number;
}

export function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface ResidencyOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to its stdin, which is then closed. */
  input?: string;
  /** Sampling stops (and the process is ended) after this long; without it, when it exits. */
  forMs?: number;
}

/** Runs `command` and samples its memory until it exits (it must exit 0) or `forMs` has passed. */
export function residencyOf(command: string, args: string[], options: ResidencyOptions = {}): Promise<Residency> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.end(options.input ?? '');
    const samples: number[] = [];
    let peak = 0;
    let ended = false;
    const timer = setInterval(() => {
      const rss = statusField(child.pid!, 'VmRSS');
      if (rss !== undefined) samples.push(rss);
      peak = Math.max(peak, statusField(child.pid!, 'VmHWM') ?? 0);
    }, SAMPLE_MS);
    const stop = options.forMs === undefined ? undefined : setTimeout(() => {
      ended = true;
      child.kill();
    }, options.forMs);
    const what = [command, ...args].join(' ');
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      clearTimeout(stop);
      if (code !== 0 && !ended) reject(new Error(`${what} exited with ${code}: ${stderr.trim()}`));
      else if (samples.length === 0) reject(new Error(`${what} ended before its memory could be read`));
      else resolve({ medianBytes: median(samples), peakBytes: peak });
    });
  });
}

/** The baseline: `node -e 'setInterval(()=>{},1e3)'`, a Node process that only waits, for `forMs`. */
export function idleNodeResidency(forMs: number): Promise<Residency> {
  return residencyOf(process.execPath, ['-e', 'setInterval(()=>{},1e3)'], { forMs });
}

export const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
