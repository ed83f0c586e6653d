import type { Clock } from '../../plugin-api/index.js';
import type { SetupProgressEvent } from './progress-events.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a step or the runner writes it; the tracker adds the timing. */
export type UntimedEvent = DistributiveOmit<SetupProgressEvent, 'elapsedMs' | 'percent' | 'remainingMs'>;

/**
 * Turns step weights into a percentage of the whole setup and an estimate of the time left.
 * The estimate uses only progress made in this run: steps resumed from the journal took no
 * time now and would make the rest look faster than it is.
 */
export class ProgressTracker {
  private readonly startedAt: number;
  private readonly totalWeight: number;
  private doneWeight = 0;
  private doneAtStart: number | undefined;
  private current: { weight: number; percent: number } | undefined;

  constructor(
    private readonly clock: Clock,
    weights: readonly number[],
  ) {
    this.startedAt = clock.now();
    this.totalWeight = weights.reduce((sum, weight) => sum + weight, 0) || 1;
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  stepStarted(weight: number): void {
    this.doneAtStart ??= this.doneWeight;
    this.current = { weight, percent: 0 };
  }

  stepPercent(percent: number): void {
    if (this.current) this.current.percent = Math.max(0, Math.min(100, percent));
  }

  /** Skipped steps are counted before the first step of this run starts, so they stay out of the estimate. */
  stepDone(weight: number): void {
    this.doneWeight += weight;
    this.current = undefined;
  }

  percent(): number {
    const partial = this.current ? (this.current.weight * this.current.percent) / 100 : 0;
    return Math.min(100, Math.round(((this.doneWeight + partial) / this.totalWeight) * 100));
  }

  stamp(event: UntimedEvent): SetupProgressEvent {
    const elapsedMs = this.elapsedMs();
    const percent = this.percent();
    const startPercent = ((this.doneAtStart ?? this.doneWeight) / this.totalWeight) * 100;
    const madeNow = percent - startPercent;
    const timed = { ...event, elapsedMs, percent } as SetupProgressEvent;
    if (madeNow > 0 && percent < 100) timed.remainingMs = Math.round((elapsedMs / madeNow) * (100 - percent));
    return timed;
  }
}
