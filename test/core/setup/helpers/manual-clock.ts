import type { Clock } from 'twinbox/plugin-api';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/** A clock that moves only when the test says so: time limits are tested without waiting for them. */
export class ManualClock implements Clock {
  private time = 1_700_000_000_000;
  private sleepers: Sleeper[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper: Sleeper = { wakeAt: this.time + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((other) => other !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Timers waiting now (lets a test wait until the code under test has armed its time limit). */
  get pending(): number {
    return this.sleepers.length;
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((sleeper) => sleeper.wakeAt <= this.time);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.wakeAt > this.time);
    for (const sleeper of due) sleeper.resolve();
  }
}

/** Lets pending promise callbacks and I/O run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}
