import type { Core } from '../open-core.js';
import { collectMetrics } from './collect-metrics.js';
import { renderExposition } from './exposition.js';
import { writeTextfile } from './textfile.js';

/** The metrics as exposition text. */
export async function metricsText(core: Core): Promise<string> {
  return renderExposition(await collectMetrics(core));
}

/** Writes the metrics file atomically for node_exporter's textfile collector. */
export async function writeMetricsFile(core: Core, file: string): Promise<void> {
  await writeTextfile(file, await metricsText(core));
}
