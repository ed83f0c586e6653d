import type { SoakReport, Watched } from './soak.js';

/**
 * The retained heap (after a forced collection) may end this much above its figure after
 * warm-up, plus HEAP_SLACK_MIB for caches that fill once (compiled code, interned strings):
 * a leak grows with every operation, and a soak runs hundreds.
 */
const HEAP_GROWTH = 0.1;
const HEAP_SLACK_MIB = 2;
/**
 * Resident memory may end this much above its figure after the loaded warm-up. Measured after
 * an idle warm-up instead, a dashboard's RSS rose 17 % on its first minute of repaints with its
 * retained heap flat: V8 grows its heap to the work and hands pages back late.
 */
const RSS_GROWTH = 0.1;

function watchedProblems(what: string, watched: Watched | undefined): string[] {
  if (!watched) return [];
  const problems: string[] = [];
  if (watched.fds.end > watched.fds.warm) problems.push(`${what} holds ${watched.fds.end} open files, ${watched.fds.warm} after warm-up`);
  if (watched.children.end > watched.children.warm) problems.push(`${what} has ${watched.children.end} child processes, ${watched.children.warm} after warm-up`);
  if (watched.heapMiB.end > watched.heapMiB.warm * (1 + HEAP_GROWTH) + HEAP_SLACK_MIB) problems.push(`${what}'s retained heap grew from ${watched.heapMiB.warm} MiB to ${watched.heapMiB.end} MiB`);
  if (watched.rssMiB.end > watched.rssMiB.warm * (1 + RSS_GROWTH)) problems.push(`${what}'s resident memory grew from ${watched.rssMiB.warm} MiB to ${watched.rssMiB.end} MiB`);
  return problems;
}

/** What the soak's checks found wrong, a line each; none when every check held. */
export function soakProblems(report: SoakReport): string[] {
  return [
    ...report.hung.map((line) => `hung (over 120 s): ${line}`),
    ...report.busyUnnamed.map((line) => `busy without naming the holder: ${line}`),
    ...report.unexpected.map((line) => `unexpected failure: ${line}`),
    ...report.tornEvents.map((line) => `an event line that is not JSON: ${line}`),
    ...report.eventMismatches,
    ...watchedProblems('the host agent', report.agent),
    ...watchedProblems('the dashboard', report.dashboard),
    ...(report.leftovers.length > 0 ? [`processes left running: ${report.leftovers.join(', ')}`] : []),
    ...(report.operations === 0 ? ['no operation ran'] : []),
  ];
}
