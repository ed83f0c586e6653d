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
  /** A comparison with another tool, reported without a target of ours. */
  informative?: boolean;
}

export interface CommandCase {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Wall-clock samples of several commands, run interleaved (A B C A B C …) so that machine
 * noise hits them alike: ratios between them are what we compare, never absolute times.
 */
export function sampleCommandsSideBySide(cases: CommandCase[], rounds: number, warmup = 2): Map<string, number[]> {
  return sampleSideBySide(
    cases.map((commandCase) => ({
      label: commandCase.label,
      run: () => {
        const result = spawnSync(commandCase.command, commandCase.args, { env: { ...process.env, ...commandCase.env }, stdio: ['ignore', 'ignore', 'pipe'] });
        if (result.status !== 0) throw new Error(`${commandCase.label} failed (exit ${result.status}): ${String(result.stderr).trim()}`);
      },
    })),
    rounds,
    warmup,
  );
}

/** The same for steps that are not one command (a command and a polling loop, say). */
export function sampleSideBySide(cases: { label: string; run: () => void }[], rounds: number, warmup = 2): Map<string, number[]> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.label, []]));
  for (let round = 0; round < rounds + warmup; round++) {
    for (const step of cases) {
      const started = performance.now();
      step.run();
      const elapsed = performance.now() - started;
      if (round >= warmup) samples.get(step.label)!.push(elapsed);
    }
  }
  return samples;
}

/** Medians of `sampleCommandsSideBySide`. */
export function timeCommandsSideBySide(cases: CommandCase[], rounds: number, warmup = 2): Map<string, number> {
  return new Map([...sampleCommandsSideBySide(cases, rounds, warmup)].map(([label, values]) => [label, median(values)]));
}

/** "412 ms (390–455)": a median with the range of its samples. */
export function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${median(values).toFixed(0)} ms (${sorted[0]!.toFixed(0)}–${sorted.at(-1)!.toFixed(0)})`;
}

export interface AgainstNode {
  /** A case's label, as in `cases`. */
  label: string;
  name: string;
  target: number;
}

/**
 * Each case against a bare `node -e 0` (the floor any Node program pays), timed side by side
 * in one run: a ratio per case, with both medians in its detail.
 */
export function againstNode(cases: CommandCase[], rounds: number, figures: AgainstNode[]): BenchResult[] {
  const times = timeCommandsSideBySide([{ label: 'node', command: process.execPath, args: ['-e', '0'] }, ...cases], rounds);
  const node = times.get('node')!;
  return figures.map(({ label, name, target }) => ratio(name, times.get(label)!, node, target, `${times.get(label)!.toFixed(0)} ms vs node -e 0 ${node.toFixed(0)} ms`));
}

export function ratio(name: string, numerator: number, denominator: number, target: number, detail: string): BenchResult {
  const value = Math.round((numerator / denominator) * 100) / 100;
  return { name, value, unit: 'x', target, pass: value <= target, detail };
}

/** A ratio reported without a target of ours: beside another tool, or beside a floor no code of ours is in. */
export function comparison(name: string, numerator: number, denominator: number, detail: string): BenchResult {
  return { ...ratio(name, numerator, denominator, Number.POSITIVE_INFINITY, detail), informative: true };
}
