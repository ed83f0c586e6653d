import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The figure must stay at or below this. */
  target: number;
  pass: boolean;
  /** The raw measurements behind a ratio, for the report. */
  detail?: string;
}

export interface CommandCase {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Wall-clock medians of several commands, run interleaved (A B C A B C …) so that machine
 * noise hits them alike: ratios between them are what we compare, never absolute times.
 */
export function timeCommandsSideBySide(cases: CommandCase[], rounds: number, warmup = 2): Map<string, number> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.label, []]));
  for (let round = 0; round < rounds + warmup; round++) {
    for (const commandCase of cases) {
      const started = performance.now();
      const result = spawnSync(commandCase.command, commandCase.args, { env: { ...process.env, ...commandCase.env }, stdio: ['ignore', 'ignore', 'pipe'] });
      const elapsed = performance.now() - started;
      if (result.status !== 0) {
        throw new Error(`${commandCase.label} failed (exit ${result.status}): ${String(result.stderr).trim()}`);
      }
      if (round >= warmup) samples.get(commandCase.label)!.push(elapsed);
    }
  }
  return new Map([...samples].map(([label, values]) => [label, median(values)]));
}

export function ratio(name: string, numerator: number, denominator: number, target: number, detail: string): BenchResult {
  const value = Math.round((numerator / denominator) * 100) / 100;
  return { name, value, unit: 'x', target, pass: value <= target, detail };
}
