/**
 * `VBoxManage metrics query` output, as VBoxManageMetrics.cpp (handleMetricsQuery) prints it:
 * two header lines (translated), then a line per metric, `"%-15ls %-40ls "` (object name,
 * metric name) and its samples joined by ", ", each `"%d %ls"` when the metric's scale is 1
 * (`1048576 kB`) or `"%d.%02d%ls"` otherwise (`3.00%`), oldest first. The object is the VM's
 * name, which may hold spaces, so the metric name (it has a slash and no space) is what a line
 * is split on. A metric with no samples yet (collection set up less than a period ago, or never)
 * has nothing after its name.
 */
export type MetricSamples = ReadonlyMap<string, number[]>;

const LINE = /(?:^|\s)((?:CPU|RAM|Guest|Net|Disk|FS)\/[A-Za-z0-9_/*:.-]+)[ \t]*(.*)$/;
const SAMPLE = /^(-?\d+)(?:\.(\d{2}))?\s*(%|[A-Za-z]+)?$/;

export function parseMetricsQuery(stdout: string): MetricSamples {
  const metrics = new Map<string, number[]>();
  for (const line of stdout.split(/\r?\n/)) {
    const match = LINE.exec(line.trimEnd());
    if (!match) continue;
    const samples: number[] = [];
    for (const text of match[2]!.split(',').map((part) => part.trim()).filter(Boolean)) {
      const sample = SAMPLE.exec(text);
      if (sample) samples.push(Number(sample[2] === undefined ? sample[1] : `${sample[1]}.${sample[2]}`));
    }
    metrics.set(match[1]!, samples);
  }
  return metrics;
}

/** The newest sample of a metric, if it has one. */
export function latest(metrics: MetricSamples, name: string): number | undefined {
  const samples = metrics.get(name);
  return samples && samples.length > 0 ? samples[samples.length - 1] : undefined;
}
