import type { Clock } from 'twinbox/plugin-api';
import { TranscriptRunner, type TranscriptStep } from '../../../../src/testing/transcript-runner.js';
import { HyperVPlugin } from '../../../../plugins/hyperv/index.js';
import { PS_EXE } from '../transcripts/hyperv-steps.js';

/** A clock whose sleeps return at once and move time forward; `sleeps` records them. */
export function steppingClock(start = Date.parse('2026-11-23T10:00:00Z')): { clock: Clock; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => now,
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}

export interface HarnessOptions {
  which?: Record<string, string | undefined>;
  host?: 'windows' | 'wsl' | 'other';
  idleMs?: number;
  commandTimeoutMs?: number;
  shellChunkSize?: number;
}

export interface HyperVHarness {
  plugin: HyperVPlugin;
  runner: TranscriptRunner;
  sleeps: number[];
}

/** A plugin on a scripted PowerShell; the test's teardown ends the host. */
export function hyperv(t: { teardown: (fn: () => void | Promise<void>) => void }, steps: readonly TranscriptStep[], options: HarnessOptions = {}): HyperVHarness {
  const runner = new TranscriptRunner(steps, { which: options.which ?? { 'powershell.exe': PS_EXE }, shellChunkSize: options.shellChunkSize });
  const { clock, sleeps } = steppingClock();
  const plugin = new HyperVPlugin({ runner, clock, host: options.host ?? 'windows', idleMs: options.idleMs ?? 0, commandTimeoutMs: options.commandTimeoutMs });
  t.teardown(async () => {
    await plugin.dispose();
    runner.closeShells();
  });
  return { plugin, runner, sleeps };
}
