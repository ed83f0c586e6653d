import { useEffect, useState } from 'react';
import { cpuPercentBetween, type VmMetrics } from '../../plugin-api/index.js';
import type { DashboardService } from './dashboard-service.js';

/** The last minute at the dashboard's poll rate. */
export const METRICS_HISTORY = 30;
export const METRICS_INTERVAL_MS = 2_000;

export interface MetricsHistory {
  /** CPU use at each reading, % of the host's whole CPU; undefined where it could not be had. */
  cpu: Array<number | undefined>;
  memoryBytes: Array<number | undefined>;
}

const EMPTY: MetricsHistory = { cpu: [], memoryBytes: [] };

/** The history with one more reading, the oldest dropped beyond METRICS_HISTORY. */
export function withReading(history: MetricsHistory, previous: VmMetrics | undefined, reading: VmMetrics | undefined): MetricsHistory {
  const keep = <T>(values: T[], value: T) => [...values, value].slice(-METRICS_HISTORY);
  return {
    cpu: keep(history.cpu, reading ? cpuPercentBetween(previous, reading) : undefined),
    memoryBytes: keep(history.memoryBytes, reading?.memoryBytes),
  };
}

/**
 * The selected workspace's CPU and memory over the last minute, read from its plugin's
 * `metrics()` every 2 s while it runs, off the render path, and only for that one workspace
 * (an idle dashboard of 20 stays cheap). Another selection starts a new history.
 */
export function useVmMetrics(service: DashboardService, name: string | undefined, running: boolean): MetricsHistory {
  const [history, setHistory] = useState<MetricsHistory>(EMPTY);
  useEffect(() => {
    setHistory(EMPTY);
    if (!name || !running) return;
    const stop = new AbortController();
    let previous: VmMetrics | undefined;
    const loop = async () => {
      while (!stop.signal.aborted) {
        const reading = await service.vmMetrics(name).catch(() => undefined);
        if (stop.signal.aborted) return;
        setHistory((current) => withReading(current, previous, reading));
        previous = reading ?? previous;
        await service.clock.sleep(METRICS_INTERVAL_MS, stop.signal).catch(() => undefined);
      }
    };
    void loop();
    return () => stop.abort();
  }, [service, name, running]);
  return history;
}
